"""Respondents' replies land on their case (issue 15, part 1), with real-shaped messages from
tests/outreach/mail/: Gmail, Thunderbird, Outlook and HTML-only replies, an out-of-office, a DSN bounce,
a forged reply address and thanks-only replies."""

import email
import email.policy
import logging
from email.message import EmailMessage

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case, Contact, Event, Notice
from casework.outreach import replyaddress, sending
from casework.outreach.models import Notification
from casework.outreach.replies import receive_email

from .mailfixtures import DOMAIN, load, queue_and_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(settings, resolved_case, janis, django_capture_on_commit_callbacks):
    """The closing e-mail of a Payroll case, sent: the case is closed and held by Jānis."""
    settings.CASEWORK_REPLY_DOMAIN = DOMAIN
    return queue_and_send(resolved_case, janis, django_capture_on_commit_callbacks)


def the_case(notification) -> Case:
    return Case.objects.get(pk=notification.case_id)


def replies_on(case) -> list[Contact]:
    return list(Contact.objects.filter(case=case, direction="inbound"))


def test_the_closing_e_mail_names_the_case_in_its_reply_address(smtp, settings, resolved_case, janis, django_capture_on_commit_callbacks):
    settings.CASEWORK_REPLY_DOMAIN = DOMAIN
    notification = queue_and_send(resolved_case, janis, django_capture_on_commit_callbacks)
    [envelope] = smtp.envelopes
    [message] = smtp.messages
    address = replyaddress.reply_address(notification.pk)
    assert message["Reply-To"].addresses[0].addr_spec == address
    assert message["Reply-To"].addresses[0].display_name == "Jānis Ozols"
    assert address.startswith("reply+") and address.endswith("@" + DOMAIN) and len(address.split("@")[0]) <= 64
    assert message["Message-ID"] == notification.message_id
    assert message["From"].addresses[0].addr_spec == "casework@localhost"  # the company's From, unchanged
    assert envelope.mail_from == address  # bounces come back to the case too

    # The respondent presses Reply: their client writes to Reply-To and threads on the Message-ID.
    reply = EmailMessage()
    reply["From"] = "Anna Bērziņa <anna@example.com>"
    reply["To"] = message["Reply-To"]
    reply["Subject"] = "Re: " + message["Subject"]
    reply["In-Reply-To"] = message["Message-ID"]
    reply["References"] = message["Message-ID"]
    reply["Message-ID"] = "<reply-1@example.com>"
    quoted = "".join(f"> {line}\n" for line in message.get_body(("plain",)).get_content().splitlines())
    reply.set_content(f"Tas joprojām nestrādā.\n\n{quoted}")
    assert receive_email(reply.as_bytes(), via="test").outcome == "reply"
    [contact] = replies_on(the_case(notification))
    assert contact.summary == "Tas joprojām nestrādā."


def test_without_a_reply_domain_replies_go_to_the_staff_member_as_before(settings, resolved_case, janis, django_capture_on_commit_callbacks):
    settings.CASEWORK_REPLY_DOMAIN = ""
    janis.email = "janis@casework.example"
    janis.save()
    notification = queue_and_send(resolved_case, janis, django_capture_on_commit_callbacks)
    message = sending.build_message(notification).message()
    assert "janis@casework.example" in str(message["Reply-To"]) and "reply+" not in str(message["Reply-To"])


def test_a_reply_address_cannot_be_made_for_another_case(settings):
    settings.CASEWORK_REPLY_DOMAIN = DOMAIN
    address = replyaddress.reply_address(41)
    assert replyaddress.notification_id_for(address) == 41
    assert replyaddress.notification_id_for(address.upper()) == 41  # a mail system that upper-cases it
    local, domain = address.split("@")
    signature = local.rsplit("-", 1)[1]
    assert replyaddress.notification_id_for(f"reply+{replyaddress._base36(42)}-{signature}@{domain}") is None
    assert replyaddress.notification_id_for(local + "@other.example") is None
    settings.SECRET_KEY = "another-key-" * 5
    assert replyaddress.notification_id_for(address) is None


def test_a_gmail_reply_reopens_the_closed_case_with_the_persons_own_words(sent, janis, maija):
    case = the_case(sent)
    assert case.status == "closed"
    received = receive_email(load("gmail_reply.eml", sent), via="test")
    assert received.outcome == "reply"
    [contact] = replies_on(case)
    assert contact.channel == "email" and contact.outcome == "replied" and contact.created_by is None
    assert contact.summary == (
        "Paldies par ziņu, bet algas lapiņas joprojām ielādējas lēni – šorīt tas aizņēma 30 sekundes. "
        "Vai varat vēlreiz paskatīties?\n\nAnna"
    )
    case.refresh_from_db()
    assert case.status == "in_progress" and case.closed_at is None
    assert case.events.filter(kind="contact", data__contact=contact.pk).exists()
    assert list(case.events.filter(kind="status").values_list("data__from", "data__to", "actor"))[-1] == ("closed", "in_progress", None)
    assert list(Notice.objects.filter(case=case).values_list("user__username", "kind")) == [("janis", "replied")]


def test_a_thunderbird_reply_is_unwrapped_and_loses_quote_and_signature(sent):
    receive_email(load("thunderbird_reply.eml", sent), via="test")
    [contact] = replies_on(the_case(sent))
    assert contact.summary == (
        "Labdien, Jāni! Pēc labojuma algas lapiņas atveras ātrāk, taču PDF lejupielāde joprojām neizdodas – "
        "pārlūks rāda kļūdu 500."
    )


def test_an_outlook_reply_in_windows_1257_keeps_no_attachment_and_no_history(sent):
    receive_email(load("outlook_reply.eml", sent), via="test")
    [contact] = replies_on(the_case(sent))
    assert contact.summary == "Sveiki,\n\nKļūda atkārtojās arī šodien, pievienoju ekrānuzņēmumu.\n\nAr cieņu\nAnna"
    assert "png" not in contact.summary and "Nosūtīts" not in contact.summary


def test_outlooks_html_part_alone_stops_at_its_reply_header(sent):
    from casework.outreach.replytext import html_to_text

    message = email.message_from_bytes(load("outlook_reply.eml", sent), policy=email.policy.default)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert html_to_text(html) == "Sveiki,\n\nKļūda atkārtojās arī šodien, pievienoju ekrānuzņēmumu.\n\nAr cieņu\nAnna"


def test_a_reply_to_a_case_waiting_for_the_respondent_puts_it_back_in_progress(sent):
    from casework.cases import workflow

    case = the_case(sent)
    workflow.change_status(case=case, to="in_progress")
    workflow.change_status(case=case, to="waiting")
    assert receive_email(load("thunderbird_reply.eml", sent), via="test").outcome == "reply"
    assert the_case(sent).status == "in_progress"


def test_an_html_only_reply_becomes_inert_text(sent, client, janis):
    receive_email(load("html_only_reply.eml", sent), via="test")
    [contact] = replies_on(the_case(sent))
    assert contact.summary == (
        "Hello,\n\nthe report still shows wrong totals & the export says <script>alert(1)</script> in cell A1.\n\n"
        "Regards,\nAnna Bērziņa"
    )
    assert "evil.example" not in contact.summary and "color:red" not in contact.summary and "Labdien" not in contact.summary
    client.force_login(janis)
    page = client.get(the_case(sent).get_absolute_url()).text
    assert "the export says &lt;script&gt;alert(1)&lt;/script&gt; in cell A1." in page
    assert "<script>alert(1)" not in page


def test_a_thanks_only_reply_leaves_the_case_closed_with_the_reply_on_its_timeline(sent, client, janis):
    assert receive_email(load("thanks_only.eml", sent), via="test").outcome == "thanks"
    case = the_case(sent)
    assert case.status == "closed"
    [contact] = replies_on(case)
    assert contact.summary == "Liels paldies, Jāni! 🙂\n\nAnna"
    client.force_login(janis)
    page = client.get(case.get_absolute_url()).text
    assert "Liels paldies, Jāni!" in page and "Only thanks: the status was left as it was." in page


@pytest.mark.parametrize(
    ("text", "only_thanks"),
    [
        ("Thanks!", True),
        ("Thank you very much for the quick help!", True),
        ("Liels paldies! Ar cieņu, Anna Bērziņa", True),
        ("Paldies, tagad viss strādā.", True),
        ("Thanks, but it is still slow.", False),
        ("Thanks. Can you also fix the PDF?", False),
        ("No thanks.", False),
        ("Paldies, bet kļūda atkal parādījās", False),
        ("", False),
        ("Great!", False),  # no thanks in it
        ("thanks " * 13, False),  # too long to be a courtesy
    ],
)
def test_the_thanks_only_rule(text, only_thanks):
    from casework.outreach.replytext import is_only_thanks

    assert is_only_thanks(text, names=["Anna Bērziņa", "Jānis Ozols"]) is only_thanks


def test_an_out_of_office_is_logged_and_changes_nothing(sent):
    assert receive_email(load("out_of_office.eml", sent), via="test").outcome == "auto_reply"
    case = the_case(sent)
    assert case.status == "closed" and replies_on(case) == []
    assert case.events.filter(kind="auto_reply").count() == 1
    assert not Notice.objects.filter(case=case).exists()


@pytest.mark.parametrize("delivered_to", ["the reply address", "the company mailbox"])
def test_a_dsn_bounce_marks_the_notification_bounced_and_the_case_shows_it(sent, client, janis, delivered_to):
    raw = load("dsn_bounce.eml", sent)
    if delivered_to == "the company mailbox":
        # Only the returned original's headers still carry the reply address.
        head, _sep, rest = raw.partition(b"\n\n")
        address = replyaddress.reply_address(sent.pk).encode()
        raw = head.replace(address, b"support@example.com") + b"\n\n" + rest
    assert receive_email(raw, via="test").outcome == "bounced"
    sent.refresh_from_db()
    assert sent.status == "bounced" and sent.bounced_at is not None
    assert sent.last_error.startswith("5.1.1") and "anna@example.com" not in sent.last_error
    case = the_case(sent)
    assert case.status == "closed" and replies_on(case) == []
    assert list(Notice.objects.filter(case=case).values_list("user__username", "kind")) == [("janis", "bounced")]
    client.force_login(janis)
    page = client.get(case.get_absolute_url()).text
    assert 'id="bounced-banner"' in page and "bounced (5.1.1 550 5.1.1 &lt;…&gt;: Recipient address rejected" in page


@pytest.mark.parametrize(("fixture", "outcome"), [("forged.eml", "forged"), ("unmatched.eml", "unmatched")])
def test_a_forged_or_unmatched_message_is_refused_and_logged_without_content(sent, caplog, fixture, outcome):
    before = Event.objects.count()
    with caplog.at_level(logging.INFO, logger="casework.outreach.replies"):
        received = receive_email(load(fixture, sent), via="test")
    assert received.outcome == outcome and not received.accepted and received.refused_as == "unknown_recipient"
    assert Event.objects.count() == before and Contact.objects.count() == 0
    assert caplog.records and all(record.levelno == logging.WARNING for record in caplog.records)
    logged = caplog.text
    for secret in ("bank details", "Private words", "mallory", "someone@example.org", "Hello", "Re: your case"):
        assert secret not in logged


def test_the_same_message_delivered_twice_lands_once(sent):
    raw = load("gmail_reply.eml", sent)
    assert receive_email(raw, via="test").outcome == "reply"
    assert receive_email(raw, via="test").outcome == "duplicate"
    assert len(replies_on(the_case(sent))) == 1


@pytest.mark.parametrize("state", ["objected_at", "erased_at"])
def test_a_reply_from_an_objected_or_erased_person_keeps_no_personal_data(sent, state):
    respondent = the_case(sent).respondent
    setattr(respondent, state, timezone.now())
    respondent.save()
    assert receive_email(load("gmail_reply.eml", sent), via="test").outcome == "withheld"
    case = the_case(sent)
    [contact] = replies_on(case)
    assert contact.summary == ""
    event = case.events.get(kind="contact")
    assert set(event.data) == {"contact", "message", "withheld"}
    assert case.status == "closed"
    stored = str(list(Event.objects.values_list("data", flat=True))) + str(list(Contact.objects.values_list("summary", flat=True)))
    assert "algas" not in stored and "anna@example.com" not in stored


def test_a_restricted_persons_frozen_case_takes_nothing(sent):
    respondent = the_case(sent).respondent
    respondent.restricted_at = timezone.now()
    respondent.save()
    assert receive_email(load("gmail_reply.eml", sent), via="test").outcome == "frozen"
    assert replies_on(the_case(sent)) == [] and the_case(sent).status == "closed"


def test_a_reply_stays_closed_when_the_person_has_another_open_case_on_the_product(sent, make_case, payroll):
    case = the_case(sent)
    later = make_case(team=payroll, respondent=case.respondent)
    assert later.status == "new"
    assert receive_email(load("gmail_reply.eml", sent), via="test").outcome == "reply"
    case.refresh_from_db()
    assert case.status == "closed" and len(replies_on(case)) == 1
    assert case.events.get(kind="contact").data["stays_closed"] == "another_open_case"


def test_a_very_long_reply_is_cut(sent, settings):
    settings.CASEWORK_REPLY_MAX_CHARS = 100
    raw = load("gmail_reply.eml", sent).replace(b"Vai varat v", b"Vai varat " + b"x" * 300 + b" v")
    receive_email(raw, via="test")
    [contact] = replies_on(the_case(sent))
    assert len(contact.summary) == 100 and contact.summary.endswith("…")


def test_another_teams_staff_never_see_the_reply(sent, client, anna):
    receive_email(load("gmail_reply.eml", sent), via="test")
    case = the_case(sent)
    assert not Notice.objects.filter(user=anna).exists()
    client.force_login(anna)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert case.reference not in client.get(reverse("cases:notices")).text


@pytest.mark.parametrize(
    "raw",
    [b"", b"   \n", b"\x00\xff\xfe garbage", b"Subject: no sender\n\nhello", b"From: x\n" + b"A" * 100, b"From: <>\nTo: reply+@\n\n"],
)
def test_bad_input_is_a_data_error_never_a_crash(sent, raw):
    received = receive_email(raw, via="test")
    assert not received.accepted


def test_every_truncation_of_every_fixture_is_handled(sent):
    """Whatever arrives cut short, the service answers; it never raises."""
    for name in ("gmail_reply.eml", "outlook_reply.eml", "dsn_bounce.eml", "html_only_reply.eml"):
        raw = load(name, sent)
        for end in range(0, len(raw), max(1, len(raw) // 40)):
            receive_email(raw[:end], via="test")


def test_the_message_is_parsed_with_the_default_policy(sent):
    # A sanity check on the fixtures themselves: real-shaped, parsable MIME.
    message = email.message_from_bytes(load("outlook_reply.eml", sent), policy=email.policy.default)
    assert [part.get_content_type() for part in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "image/png"
    ]
    assert Notification.objects.get(pk=sent.pk).message_id in message["In-Reply-To"]


def test_a_reply_from_another_address_says_so_without_keeping_the_address(sent, client, janis):
    raw = load("thunderbird_reply.eml", sent).replace(b"From: Anna B\xc4\x93rzi\xc5\x86a <anna@example.com>", b"From: Someone <boss@example.net>")
    assert b"boss@example.net" in raw
    receive_email(raw, via="test")
    event = the_case(sent).events.get(kind="contact")
    assert event.data["other_sender"] is True and "boss@example.net" not in str(event.data)
    client.force_login(janis)
    assert "Sent from an address that is not the respondent's." in client.get(the_case(sent).get_absolute_url()).text


def test_a_reply_from_the_respondents_address_in_other_letters_is_theirs(sent):
    raw = load("gmail_reply.eml", sent).replace(b"<anna@example.com>", b"<ANNA@Example.COM>")
    receive_email(raw, via="test")
    assert "other_sender" not in the_case(sent).events.get(kind="contact").data


def test_a_second_bounce_report_changes_nothing_more(sent):
    assert receive_email(load("dsn_bounce.eml", sent), via="test").outcome == "bounced"
    again = load("dsn_bounce.eml", sent).replace(b"<20261125060005.4F1A2B3C4D@mx.example.com>", b"<another-report@mx.example.com>")
    assert receive_email(again, via="test").outcome == "auto_reply"
    assert Notice.objects.filter(case_id=sent.case_id, kind="bounced").count() == 1
