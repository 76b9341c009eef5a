"""After commit, the task sends a delivery; two workers reaching for the same one at once: exactly one sends it."""

import pytest
from django.db import connection

from casework.integrations import delivery
from casework.integrations.models import WebhookDelivery
from tests.threads import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_task_sends_it_once_the_change_commits(receiver, make_endpoint, make_case, payroll):
    make_endpoint(events=["case.opened"])
    case = make_case(team=payroll)  # commits; the task queue (in-process here) sends straight after
    assert [body["data"]["case"]["reference"] for body in receiver.bodies()] == [case.reference]
    assert WebhookDelivery.objects.get().status == "delivered"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database with real concurrent writers")
def test_two_workers_send_a_delivery_once(receiver, make_endpoint, make_case, payroll, monkeypatch):
    monkeypatch.setattr(delivery, "_courier", None)  # no task after commit: the two workers below are the only ones
    make_endpoint(events=["case.opened"])
    for _ in range(3):
        make_case(team=payroll)
    pks = list(WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True))
    for pk in pks:
        outcomes = run_together([lambda pk=pk: delivery.deliver(pk), lambda pk=pk: delivery.deliver(pk)])
        assert sorted(outcomes) == ["delivered", "skipped"]
    assert len(receiver.requests) == 3 and len(set(receiver.ids())) == 3
    assert run_together([delivery.deliver_due, delivery.deliver_due]) == [{}, {}]
    assert len(receiver.requests) == 3
