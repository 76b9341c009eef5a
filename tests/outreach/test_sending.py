"""The closing e-mail as the respondent receives it, and the outbox under faults."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case
from casework.outreach import sending
from casework.outreach.models import Notification

from .conftest import free_port, smtp_settings

pytestmark = pytest.mark.django_db
SUBJECT = "Jūs mums pastāstījāt par algu lapām — esam to salabojuši"
BODY = "Labdien, Anna!\n\nAlgu lapas tagad ielādējas ātri. Paldies!\n\nJānis Ozols"


def queue(case, actor, capture):
    with capture(execute=True):
        return sending.queue_closing_notification(case=case, actor=actor, subject=SUBJECT, body=BODY, locale="lv")


def test_the_respondent_receives_the_message_as_sent(smtp, resolved_case, janis, django_capture_on_commit_callbacks):
    janis.email = "janis@casework.example"
    janis.save()
    notification = queue(resolved_case, janis, django_capture_on_commit_callbacks)
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.sent_at and notification.attempts == 1
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["anna@example.com"]
    [message] = smtp.messages
    assert message["Subject"] == SUBJECT
    assert message["To"].addresses[0].display_name == "Anna Bērziņa"
    assert message["To"].addresses[0].addr_spec == "anna@example.com"
    assert message["Message-ID"] == notification.message_id
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip("<>")
    assert "/optout/" in link
    assert "janis@casework.example" in message["Reply-To"]
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(preferencelist=("html",)).get_content()
    assert text.startswith(BODY) and link in text
    assert "Nevēlaties šādus e-pastus? Atsakieties ar vienu klikšķi:" in text  # the respondent's language
    assert "Algu lapas tagad ielādējas ātri." in html and link in html
    assert b"=?utf-8?" in envelope.original_content.split(b"\r\n\r\n")[0]  # encoded, not raw 8-bit headers
    case = Case.objects.get(pk=resolved_case.pk)
    assert case.status == "closed" and case.close_reason == "notified"
    assert list(case.events.filter(kind="notification").values_list("data__status", flat=True)) == ["queued", "sent"]


def test_smtp_down_then_back_sends_once(settings, resolved_case, janis, django_capture_on_commit_callbacks):
    smtp_settings(settings, free_port())  # nothing listens there
    notification = queue(resolved_case, janis, django_capture_on_commit_callbacks)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("queued", 1)
    assert notification.last_error and notification.next_attempt_at > timezone.now()
    assert sending.send_due() == {}  # not due again yet
    from aiosmtpd.controller import Controller

    from .conftest import Mailbox

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        smtp_settings(settings, controller.port)
        later = timezone.now() + datetime.timedelta(hours=1)
        assert sending.send_due(now=later) == {"sent": 1}
        assert sending.send_due(now=later + datetime.timedelta(hours=1)) == {}
    finally:
        controller.stop()
    assert len(mailbox.envelopes) == 1
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 2


def test_a_refusing_server_is_retried_until_it_accepts(smtp, resolved_case, janis, django_capture_on_commit_callbacks):
    smtp.refuse = 2
    notification = queue(resolved_case, janis, django_capture_on_commit_callbacks)
    later = timezone.now()
    for _ in range(3):
        later += datetime.timedelta(hours=1)
        sending.send_due(now=later)
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 3
    assert len(smtp.envelopes) == 1


def test_after_the_last_attempt_it_fails_visibly_and_can_be_retried(settings, smtp, resolved_case, janis, maija, client, django_capture_on_commit_callbacks):
    settings.CASEWORK_DELIVERY_ATTEMPTS = 2
    smtp.refuse = 5
    notification = queue(resolved_case, janis, django_capture_on_commit_callbacks)
    sending.send_due(now=timezone.now() + datetime.timedelta(hours=1))
    notification.refresh_from_db()
    assert notification.status == "failed" and "451" in notification.last_error
    client.force_login(maija)
    assert resolved_case.reference in client.get(reverse("outreach:failed")).text
    assert "Failed" in client.get(resolved_case.get_absolute_url()).text
    smtp.refuse = 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outreach:retry", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.status == "sent" and len(smtp.envelopes) == 1


def test_a_rollback_sends_nothing(smtp, resolved_case, janis, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                sending.queue_closing_notification(case=resolved_case, actor=janis, subject=SUBJECT, body=BODY, locale="lv")
                raise RuntimeError("something after queuing failed")
    assert not Notification.objects.exists() and smtp.envelopes == []
    assert Case.objects.get(pk=resolved_case.pk).status == "resolved"


def test_an_objection_after_queuing_suppresses_the_message(smtp, resolved_case, janis):
    notification = sending.queue_closing_notification(case=resolved_case, actor=janis, subject=SUBJECT, body=BODY, locale="lv")
    resolved_case.respondent.__class__.objects.filter(pk=resolved_case.respondent_id).update(objected_at=timezone.now())
    assert sending.deliver(notification.pk) == "suppressed"
    notification.refresh_from_db()
    assert notification.status == "suppressed" and "objected" in notification.suppressed_reason
    assert smtp.envelopes == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"objected_at": timezone.now()}, "objected"), ({"erased_at": timezone.now()}, "erased"), ({"email": ""}, "no e-mail")],
)
def test_people_who_may_not_be_written_to_get_a_suppressed_record(smtp, resolved_case, janis, change, reason):
    resolved_case.respondent.__class__.objects.filter(pk=resolved_case.respondent_id).update(**change)
    resolved_case.refresh_from_db()
    notification = sending.queue_closing_notification(case=resolved_case, actor=janis, subject=SUBJECT, body=BODY, locale="lv")
    assert notification.status == "suppressed" and reason in notification.suppressed_reason
    # The record says an e-mail was not sent; it keeps no address of a person who may not be written to.
    notification.refresh_from_db()
    assert notification.recipient == "" and notification.next_attempt_at is None
    assert Case.objects.get(pk=resolved_case.pk).status == "resolved"  # closing needs a reason now
    assert smtp.envelopes == []


def test_a_restricted_persons_case_takes_no_e_mail_at_all(smtp, resolved_case, janis):
    from casework.cases.workflow import ProcessingRestricted
    from casework.outreach.models import Notification

    resolved_case.respondent.__class__.objects.filter(pk=resolved_case.respondent_id).update(restricted_at=timezone.now())
    with pytest.raises(ProcessingRestricted, match="restricted processing"):
        sending.queue_closing_notification(case=resolved_case, actor=janis, subject=SUBJECT, body=BODY, locale="lv")
    assert not Notification.objects.exists() and smtp.envelopes == []


def test_a_name_edited_to_carry_a_header_cannot_inject_one(smtp, resolved_case, janis, django_capture_on_commit_callbacks):
    resolved_case.respondent.__class__.objects.filter(pk=resolved_case.respondent_id).update(name="Anna\r\nBcc: spy@example.com")
    queue(resolved_case, janis, django_capture_on_commit_callbacks)
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["anna@example.com"]
    assert b"\r\nBcc:" not in envelope.original_content


def test_the_opt_out_header_is_a_literal_url_on_the_wire(smtp, resolved_case, janis, settings, django_capture_on_commit_callbacks):
    settings.CASEWORK_BASE_URL = "https://feedback-followup.casework.example.com"  # long links fold worst
    queue(resolved_case, janis, django_capture_on_commit_callbacks)
    [envelope] = smtp.envelopes
    head = envelope.original_content.split(b"\r\n\r\n")[0]
    [line] = [line for line in head.split(b"\r\n") if line.startswith(b"List-Unsubscribe:")]
    assert line.startswith(b"List-Unsubscribe: <https://feedback-followup.casework.example.com/optout/")
    assert line.endswith(b"/>") and b"=?" not in line and line.isascii()
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in head + b"\r\n"


def test_a_name_that_slipped_past_intake_is_left_out_of_the_header(smtp, resolved_case, janis, django_capture_on_commit_callbacks):
    from casework.feedback.models import Respondent

    Respondent.objects.filter(pk=resolved_case.respondent_id).update(name="=?UTF-8?Q?Bob=0ABcc:_x@evil.example?=")
    resolved_case.refresh_from_db()
    notification = queue(resolved_case, janis, django_capture_on_commit_callbacks)
    notification.refresh_from_db()
    assert notification.status == "sent"
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["anna@example.com"]
    [message] = smtp.messages
    assert message["To"].addresses[0].display_name == "" and message["Bcc"] is None
