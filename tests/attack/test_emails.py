"""The e-mails Casework sends carry hostile text as inert, exact text: the respondent's closing e-mail
(HTML part escaped, text part as written, headers that a name cannot add to) and staff e-mails."""

import datetime
import email
import email.policy

import pytest
from django.core import mail
from django.utils import timezone

from casework.cases.models import Case
from casework.feedback.models import Respondent
from casework.outreach import sending, staffmail

from .checks import active_markup
from .world import NAME, PAYLOAD

pytestmark = pytest.mark.django_db
INJECTIONS = ["Anna\r\nBcc: evil@example.com", "Anna\nBcc: evil@example.com", "Anna\u2028Bcc: evil@example.com",
              "=?utf-8?q?Anna=0D=0ABcc:_evil@example.com?=", "Anna\x0bBcc: evil@example.com"]


def _parsed(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def _parts(parsed):
    return {part.get_content_type(): part.get_content() for part in parsed.walk() if not part.is_multipart()}


def test_the_closing_email_shows_hostile_text_inert_and_exact(world):
    parsed = _parsed(sending.build_message(world.notification))
    parts = _parts(parsed)
    found, seen = active_markup(parts["text/html"])
    assert seen and not found, found
    assert PAYLOAD in parts["text/plain"], "the text part shows what was written, not HTML entities"
    assert parsed["Subject"] == NAME
    assert [address.addr_spec for address in parsed["To"].addresses] == [world.case.respondent.email]
    assert parsed["Bcc"] is None and parsed["Cc"] is None


@pytest.mark.parametrize("name", INJECTIONS)
def test_a_name_cannot_add_headers_to_the_closing_email(world, name):
    """Intake, the privacy desk and the admin refuse such names (tests/intake, tests/privacy, tests/test_admin.py);
    a row that has one anyway (older data, a direct database edit) still makes a one-recipient e-mail."""
    Respondent.objects.filter(pk=world.case.respondent_id).update(name=name)
    staff = world.user("janis")
    staff.first_name = name
    staff.save()
    world.notification.refresh_from_db()
    parsed = _parsed(sending.build_message(world.notification))
    assert parsed["Bcc"] is None
    assert [address.addr_spec for address in parsed["To"].addresses] == [world.case.respondent.email]
    assert [address.addr_spec for address in parsed["Reply-To"].addresses] == [staff.email]
    raw_headers = sending.build_message(world.notification).message().as_bytes().split(b"\n\n", 1)[0]
    assert not [line for line in raw_headers.splitlines() if line.lower().startswith(b"bcc")]


def test_every_plain_text_email_template_turns_autoescape_off():
    """Django escapes HTML in every template, .txt ones too: a team named "R&D" would reach an
    inbox as "R&amp;D". Plain-text e-mail templates say {% autoescape off %}."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    escaped = [str(path.relative_to(root)) for path in root.rglob("*.txt") if "{% autoescape off %}" not in path.read_text()]
    assert escaped == []


def test_staff_emails_show_names_as_written(world):
    assert staffmail.send_assignment_emails() == 1
    [message] = mail.outbox
    assert message.to == [world.user("janis").email]
    assert world.payroll.name in message.subject, "the team's name is shown as written, not as HTML entities"
    assert "&lt;" not in message.subject + message.body and "&#x27;" not in message.subject + message.body
    mail.outbox.clear()
    Case.objects.filter(pk=world.case.pk).update(resolution_due_at=timezone.now() - datetime.timedelta(days=1))
    assert staffmail.send_overdue_digests() >= 1
    digest = mail.outbox[0]
    assert NAME in digest.body and "&lt;" not in digest.subject + digest.body
