import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.outreach.models import Notification

pytestmark = pytest.mark.django_db


def notification(case, **fields):
    values = {"case": case, "recipient": "a@example.com", "subject": "Hi", "body": "Thanks", "queued_at": timezone.now()}
    values.update(fields)
    return Notification(**values)


def test_a_sent_notification_has_its_sent_time(payroll, make_case):
    case = make_case(team=payroll)
    with pytest.raises(IntegrityError), transaction.atomic():
        notification(case, status="sent").save()
    notification(case, status="sent", sent_at=timezone.now()).save()


def test_a_suppressed_notification_says_why(payroll, make_case):
    case = make_case(team=payroll)
    with pytest.raises(IntegrityError), transaction.atomic():
        notification(case, status="suppressed").save()
    notification(case, status="suppressed", suppressed_reason="objected").save()


def test_unknown_status_is_refused(payroll, make_case):
    with pytest.raises(IntegrityError), transaction.atomic():
        notification(make_case(team=payroll), status="lost").save()


def test_message_ids_are_unique(payroll, make_case):
    case = make_case(team=payroll)
    notification(case, message_id="<1@x>").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        notification(case, message_id="<1@x>").save()
