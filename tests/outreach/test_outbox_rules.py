"""The outbox's rules, each one a bug a respondent or a member of staff would notice: the back-off
schedule and the deferred retry, the lease a crashed worker leaves behind, a manual retry of one message
only, the due sweep, and what a composed message may be."""

import datetime

import pytest
from django.utils import timezone

from casework.cases.models import Case
from casework.outreach import sending
from casework.outreach.models import Notification

from .conftest import free_port, smtp_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def courier(monkeypatch):
    """The task queue's courier, as a backend that supports deferral: records (id, run after)."""
    calls = []
    monkeypatch.setattr(sending, "_courier", lambda notification_id, run_after: calls.append((notification_id, run_after)))
    return calls


@pytest.fixture
def server_down(settings):
    smtp_settings(settings, free_port())  # nothing listens there: every attempt fails to connect


def queued(case, **fields):
    now = timezone.now()
    values = {
        "case": case, "respondent": case.respondent, "recipient": "anna@example.com", "locale": "lv", "subject": "Fixed",
        "body": "We fixed it.", "message_id": f"<{now.timestamp()}@casework.local>", "queued_at": now, "next_attempt_at": now,
    }
    return Notification.objects.create(**values | fields)


def test_failed_attempts_back_off_1_2_4_minutes_then_fail_visibly(settings, server_down, resolved_case, courier):
    settings.CASEWORK_RETRY_SECONDS, settings.CASEWORK_DELIVERY_ATTEMPTS = 60, 3
    notification = queued(resolved_case)
    start = timezone.now()
    for attempt, wait in [(1, 60), (2, 120)]:
        now = start + datetime.timedelta(hours=attempt)
        assert sending.deliver(notification.pk, now=now) == "retry"
        notification.refresh_from_db()
        retry_at = now + datetime.timedelta(seconds=wait)
        assert (notification.status, notification.attempts, notification.next_attempt_at) == ("queued", attempt, retry_at)
        assert notification.claimed_until is None and notification.last_error.startswith("ConnectionRefusedError")
        assert courier[-1] == (notification.pk, retry_at)  # handed back to the queue, to run no earlier
    assert sending.deliver(notification.pk, now=start + datetime.timedelta(hours=3)) == "failed"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.next_attempt_at) == ("failed", 3, None)
    assert notification.last_error.startswith("ConnectionRefusedError") and len(courier) == 2


def test_a_message_held_by_a_crashed_worker_is_sent_once_its_lease_runs_out(smtp, resolved_case, monkeypatch):
    now = timezone.now()
    held = queued(resolved_case, claimed_until=now + datetime.timedelta(minutes=1))
    assert sending.deliver(held.pk, now=now) == "skipped"
    assert sending.deliver(held.pk, now=now + datetime.timedelta(minutes=2)) == "sent"
    assert len(smtp.envelopes) == 1


def test_a_worker_holds_a_message_for_five_minutes_while_it_sends(smtp, resolved_case, monkeypatch):
    notification = queued(resolved_case)
    now = timezone.now()
    seen, real = [], sending.build_message

    def build(row):
        seen.append(Notification.objects.get(pk=row.pk).claimed_until)
        return real(row)

    monkeypatch.setattr(sending, "build_message", build)
    assert sending.deliver(notification.pk, now=now) == "sent"
    assert seen == [now + datetime.timedelta(minutes=5)]
    notification.refresh_from_db()
    assert notification.claimed_until is None and notification.attempts == 1 and notification.sent_at


def test_a_message_the_mail_library_refuses_fails_at_once_with_the_reason(smtp, resolved_case, monkeypatch):
    notification = queued(resolved_case)
    monkeypatch.setattr(sending, "build_message", lambda row: (_ for _ in ()).throw(ValueError("bad header")))
    assert sending.deliver(notification.pk) == "failed"
    notification.refresh_from_db()
    assert (notification.status, notification.last_error, notification.attempts) == ("failed", "ValueError: bad header", 1)
    assert smtp.envelopes == []


def test_retrying_one_failed_message_requeues_that_one_only(resolved_case, courier, django_capture_on_commit_callbacks):
    stamp = timezone.now() - datetime.timedelta(hours=1)
    failed = [
        queued(resolved_case, status="failed", attempts=5, claimed_until=stamp, next_attempt_at=None, last_error="SMTPException: 451", message_id=f"<{n}@x>")
        for n in range(2)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        sending.retry(failed[0])
    retried, other = (Notification.objects.get(pk=row.pk) for row in failed)
    assert (retried.status, retried.attempts, retried.claimed_until) == ("queued", 0, None)
    assert abs(retried.next_attempt_at - timezone.now()) < datetime.timedelta(seconds=30)
    assert (other.status, other.attempts) == ("failed", 5)
    assert courier == [(retried.pk, None)]


def test_retrying_a_message_that_did_not_fail_changes_nothing(resolved_case, courier, django_capture_on_commit_callbacks):
    sent = queued(resolved_case, status="sent", sent_at=timezone.now(), next_attempt_at=None, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        sending.retry(sent)
    assert Notification.objects.get(pk=sent.pk).status == "sent" and courier == []


def test_the_sweep_sends_what_is_due_oldest_first_at_the_time_it_is_given(smtp, resolved_case):
    now = timezone.now()
    later = queued(resolved_case, next_attempt_at=now - datetime.timedelta(minutes=1), message_id="<a@x>")
    earlier = queued(resolved_case, next_attempt_at=now - datetime.timedelta(minutes=9), message_id="<b@x>")
    not_yet = queued(resolved_case, next_attempt_at=now + datetime.timedelta(hours=1), message_id="<c@x>")
    failed = queued(resolved_case, status="failed", next_attempt_at=now - datetime.timedelta(hours=1), message_id="<d@x>")
    assert sending.send_due(now=now, limit=1) == {"sent": 1}
    assert Notification.objects.get(pk=earlier.pk).status == "sent" and Notification.objects.get(pk=later.pk).status == "queued"
    # A sweep "as of" a later moment also takes a message whose lease has run out by then.
    Notification.objects.filter(pk=later.pk).update(claimed_until=now + datetime.timedelta(minutes=30))
    assert sending.send_due(now=now + datetime.timedelta(hours=2)) == {"sent": 2}
    assert Notification.objects.get(pk=failed.pk).status == "failed" and Notification.objects.get(pk=not_yet.pk).status == "sent"


@pytest.mark.parametrize(
    "subject, allowed",
    [("x" * 200, True), ("x" * 201, False), ("  ", False), ("a\nb", False), ("a\x00b", False), ("a\x1bb", False),
     ("a\x7fb", False), ("a\x85b", False), ("a\x9bb", False), ("a\u2028b", False), ("Ā\xa0ē", True)],
)
def test_a_subject_is_one_line_of_at_most_200_plain_characters(resolved_case, janis, subject, allowed):
    compose = lambda: sending.queue_closing_notification(case=resolved_case, actor=janis, subject=subject, body="Fixed.", locale="lv")  # noqa: E731
    if allowed:
        assert compose().subject == subject.strip()
    else:
        with pytest.raises(sending.ComposeError, match="one line"):
            compose()
        assert not Notification.objects.exists()


def test_a_message_needs_a_body_and_an_open_case(resolved_case, janis):
    with pytest.raises(sending.ComposeError, match="Write the message"):
        sending.queue_closing_notification(case=resolved_case, actor=janis, subject="Fixed", body=" \n ", locale="lv")
    Case.objects.filter(pk=resolved_case.pk).update(status="closed", closed_at=timezone.now(), close_reason="no_action")
    resolved_case.refresh_from_db()
    with pytest.raises(sending.ComposeError, match="closed already"):
        sending.queue_closing_notification(case=resolved_case, actor=janis, subject="Fixed", body="Done.", locale="lv")
    assert not Notification.objects.exists()


def test_what_we_did_is_needed_unless_the_caller_says_otherwise(resolved_case, janis):
    Case.objects.filter(pk=resolved_case.pk).update(action_summary="  ")
    resolved_case.refresh_from_db()
    with pytest.raises(sending.ComposeError, match="What we did"):
        sending.queue_closing_notification(case=resolved_case, actor=janis, subject="Fixed", body="Done.", locale="lv")
    sending.queue_closing_notification(case=resolved_case, actor=janis, subject="Fixed", body="Done.", locale="lv", require_action_summary=False)
    assert Notification.objects.count() == 1


def test_a_restricted_persons_case_is_refused_rather_than_given_a_suppressed_record(resolved_case, janis):
    from casework.cases.workflow import ProcessingRestricted

    resolved_case.respondent.__class__.objects.filter(pk=resolved_case.respondent_id).update(restricted_at=timezone.now())
    with pytest.raises(ProcessingRestricted):
        sending.queue_closing_notification(case=resolved_case, actor=janis, subject="Fixed", body="Done.", locale="lv")
    assert not Notification.objects.exists()


def test_the_queued_record_is_complete(settings, resolved_case, janis, courier, django_capture_on_commit_callbacks):
    settings.DEFAULT_FROM_EMAIL = "Casework <care@firma.example>"
    with django_capture_on_commit_callbacks(execute=True):
        notification = sending.queue_closing_notification(
            case=resolved_case, actor=janis, subject=" Fixed ", body=" Done. ", locale="en", expected_version=resolved_case.version
        )
    notification.refresh_from_db()
    assert (notification.recipient, notification.respondent, notification.locale, notification.subject, notification.body) == (
        "anna@example.com", resolved_case.respondent, "en", "Fixed", "Done."
    )
    assert notification.status == "queued" and notification.created_by == janis and notification.suppressed_reason == ""
    assert notification.next_attempt_at == notification.queued_at and notification.message_id.endswith("@firma.example>")
    assert courier == [(notification.pk, None)]
    assert Case.objects.get(pk=resolved_case.pk).close_reason == "notified"
