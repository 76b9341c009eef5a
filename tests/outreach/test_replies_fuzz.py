"""Whatever arrives, reading it never raises: property tests over mangled real-shaped messages and
arbitrary bytes (the service answers bad input with a refusal, the endpoint with a 4xx, never a 500)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.outreach import mailreading, replytext
from casework.outreach.replies import receive_email

from .mailfixtures import DOMAIN, MAIL, load, queue_and_send

FIXTURES = sorted(path.read_bytes() for path in MAIL.glob("*.eml"))
NASTY = [
    b"Content-Type: multipart/report; report-type*=utf-8''delivery-status; boundary=x\n",
    b"Content-Type: text/plain; format*0=flo; format*1=wed; charset*=bogus''%FF\n",
    b"Content-Type: multipart/alternative; boundary=\"\"\n",
    b"Content-Type: message/rfc822\n",
    b"Content-Transfer-Encoding: base64\n",
    b"From: =?utf-8?b?////?= <\x00@\xff>\n",
    b"To: reply+zzzzzzzzzzzzz-aaaaaaaaaaaaaaaaaaaa@" + DOMAIN.encode() + b"\n",
    b"Auto-Submitted: \xff\xfe\n",
    b"\n\n--x\nContent-Type: message/delivery-status\n\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: \xff\n",
]


@st.composite
def mangled(draw):
    raw = bytearray(draw(st.sampled_from(FIXTURES)))
    for _ in range(draw(st.integers(0, 6))):
        how = draw(st.sampled_from(["cut", "insert", "flip", "nasty"]))
        at = draw(st.integers(0, len(raw)))
        if how == "cut":
            del raw[at : at + draw(st.integers(1, 200))]
        elif how == "insert":
            raw[at:at] = draw(st.binary(max_size=40))
        elif how == "flip" and at < len(raw):
            raw[at] = draw(st.integers(0, 255))
        else:
            line = raw.find(b"\n", at)
            raw[line + 1 : line + 1] = draw(st.sampled_from(NASTY))
    return bytes(raw)


def read_everything(raw: bytes) -> None:
    try:
        inbound = mailreading.parse(raw)
    except mailreading.BadMessage:
        return
    text, _cut = replytext.reply_text(inbound.message, limit=500)
    replytext.is_only_thanks(text, names=["Anna Bērziņa"])
    mailreading.original_headers(inbound.message)


@settings(max_examples=200, deadline=None)
@given(st.one_of(mangled(), st.binary(max_size=2000)))
def test_reading_any_message_never_raises(raw):
    read_everything(raw)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_any_html_becomes_text_without_markup_of_a_tag(html):
    text = replytext.html_to_text(html)
    assert "<script" not in text.lower() or "<script" in html.lower()


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_service_answers_every_mangled_reply(settings_fixture, resolved_case, janis, django_capture_on_commit_callbacks, data):
    if not hasattr(resolved_case, "_sent"):
        settings_fixture.CASEWORK_REPLY_DOMAIN = DOMAIN
        resolved_case._sent = queue_and_send(resolved_case, janis, django_capture_on_commit_callbacks)
    name = data.draw(st.sampled_from(["gmail_reply.eml", "outlook_reply.eml", "dsn_bounce.eml", "html_only_reply.eml", "thanks_only.eml"]))
    raw = bytearray(load(name, resolved_case._sent))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        raw[at:at] = data.draw(st.sampled_from(NASTY + [b"\xff", b"\n\n", b"--", b"=\n", b"<blockquote>"]))
    received = receive_email(bytes(raw), via="fuzz")
    assert received.outcome in {"reply", "thanks", "withheld", "frozen", "auto_reply", "bounced", "duplicate", "unmatched", "forged", "bad_message"}


@pytest.fixture
def settings_fixture(settings):
    return settings
