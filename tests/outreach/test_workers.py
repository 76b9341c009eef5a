"""Two outbox workers at once (PostgreSQL): every notification is delivered exactly once."""

from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from casework.outreach import sending
from casework.outreach.models import Notification
from tests.threads import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database with real concurrent writers"),
]


def test_two_workers_deliver_each_notification_once(smtp, make_case, payroll, janis):
    for n in range(12):
        case = make_case(team=payroll)
        case.respondent.__class__.objects.filter(pk=case.respondent_id).update(email=f"person{n}@example.com")
        Notification.objects.create(
            case=case, respondent_id=case.respondent_id, recipient=f"person{n}@example.com", subject=f"Thanks {n}",
            body="We fixed it.", message_id=f"<n{n}@casework.test>", queued_at=timezone.now(), next_attempt_at=timezone.now(),
        )
    results = run_together([sending.send_due, sending.send_due])
    assert sum(result.get("sent", 0) for result in results) == 12
    assert Notification.objects.filter(status="sent").count() == 12
    ids = Counter(message["Message-ID"] for message in smtp.messages)
    assert len(ids) == 12 and set(ids.values()) == {1}
