"""Outbound webhooks against a real HTTP server on loopback: what is sent, signed how, when, in which
order, how often, and what happens when the receiver fails."""

import datetime
import json

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from casework.cases import workflow
from casework.cases.lifecycle import Status
from casework.integrations import delivery
from casework.integrations.addresses import AddressRefused, check_url
from casework.integrations.models import WebhookDelivery, WebhookEndpoint
from casework.outreach.optout import record_objection

pytestmark = pytest.mark.django_db


def later(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def test_a_status_change_is_sent_signed_with_facts_and_no_personal_data(receiver, make_endpoint, make_case, payroll, janis):
    endpoint = make_endpoint(events=["case.status_changed"])
    case = make_case(team=payroll, comment="Payslips are slow, call me on 2912345")
    workflow.change_status(case=case, to=Status.IN_PROGRESS, actor=janis)

    assert delivery.deliver_due() == {"delivered": 1}
    [(headers, body, path)] = receiver.requests
    assert path == "/hooks/casework?x=1"
    # The Standard Webhooks reference implementation accepts the signature (and refuses a changed body).
    verified = Webhook(endpoint.secret).verify(body, headers)
    assert verified["type"] == "case.status_changed"
    with pytest.raises(Exception):
        Webhook(endpoint.secret).verify(body.replace(b"in_progress", b"closed"), headers)
    assert headers["webhook-id"].startswith("msg_")
    assert headers["webhook-signature"].startswith("v1,")
    data = json.loads(body)["data"]
    assert data["case"]["reference"] == case.reference
    assert data["case"]["status"] == "in_progress"
    assert data["case"]["team"] == {"slug": "payroll", "name": "Payroll"}
    assert data["event"]["details"] == {"from": "new", "to": "in_progress", "reason": ""}
    assert data["event"]["by"] == "janis"
    assert b"2912345" not in body and b"person" not in body.lower() and "respondent" not in data
    assert WebhookDelivery.objects.get().status == "delivered"


def test_personal_data_only_where_allowed_and_never_for_an_objecting_person(receiver, make_endpoint, make_case, payroll, janis):
    make_endpoint(events=["contact.logged"], personal=True)
    case = make_case(team=payroll, comment="Too slow")
    workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="reached", summary="Promised a fix")
    delivery.deliver_due()
    data = receiver.bodies()[0]["data"]
    assert data["respondent"]["email"] == case.respondent.email
    assert data["comment"] == "Too slow"
    assert data["event"]["details"]["summary"] == "Promised a fix"

    record_objection(case.respondent, how="test")
    workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="no_answer", summary="Left nothing")
    delivery.deliver_due()
    after = receiver.bodies()[-1]
    assert after["type"] == "contact.logged"
    assert "respondent" not in after["data"] and "comment" not in after["data"]
    assert case.respondent.email.encode() not in receiver.requests[-1][1]


def test_nothing_is_queued_when_the_change_rolls_back(make_endpoint, make_case, payroll, janis):
    make_endpoint()
    case = make_case(team=payroll)
    opened = WebhookDelivery.objects.count()
    assert opened == 1  # case.opened
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.change_status(case=case, to=Status.IN_PROGRESS, actor=janis)
        raise RuntimeError("the request failed after the change")
    assert WebhookDelivery.objects.count() == opened


def test_only_subscribed_events_are_queued(make_endpoint, make_case, payroll, janis):
    make_endpoint(events=["case.assigned"])
    case = make_case(team=payroll)
    workflow.add_note(case=case, actor=janis, text="internal")
    workflow.claim_case(case=case, actor=janis)
    assert list(WebhookDelivery.objects.values_list("event_type", flat=True)) == ["case.assigned"]


def test_a_failure_is_retried_with_back_off_under_the_same_id(receiver, make_endpoint, make_case, payroll, settings):
    settings.CASEWORK_WEBHOOK_RETRY_SECONDS = 30
    make_endpoint(events=["case.opened"])
    make_case(team=payroll)
    receiver.answers = [500, 503]
    assert delivery.deliver_due() == {"retry": 1}
    item = WebhookDelivery.objects.get()
    assert item.last_status_code == 500 and "HTTP 500" in item.last_error
    first_retry = item.next_attempt_at
    assert datetime.timedelta(seconds=25) < first_retry - timezone.now() <= datetime.timedelta(seconds=30)
    assert delivery.deliver_due() == {}  # not due yet
    assert delivery.deliver_due(now=later(31)) == {"retry": 1}
    item.refresh_from_db()
    assert item.next_attempt_at - later(31) > datetime.timedelta(seconds=55)  # 60 s after the second attempt
    assert delivery.deliver_due(now=later(100)) == {"delivered": 1}
    item.refresh_from_db()
    assert (item.status, item.attempts, item.last_status_code) == ("delivered", 3, 200)
    assert len(set(receiver.ids())) == 1 and len(receiver.requests) == 3
    assert delivery.deliver_due(now=later(10_000)) == {}  # delivered once, never again
    assert len(receiver.requests) == 3


def test_a_delivery_gives_up_after_the_last_attempt(receiver, make_endpoint, make_case, payroll, settings):
    settings.CASEWORK_WEBHOOK_ATTEMPTS = 2
    make_endpoint(events=["case.opened"])
    make_case(team=payroll)
    receiver.answers = [500, 500]
    delivery.deliver_due()
    assert delivery.deliver_due(now=later(3600)) == {"failed": 1}
    assert WebhookDelivery.objects.get().status == "failed"


def test_deliveries_of_one_case_keep_their_order_and_other_cases_are_not_held_up(receiver, make_endpoint, make_case, payroll, janis):
    make_endpoint(events=["case.opened", "case.status_changed"])
    first = make_case(team=payroll)
    workflow.change_status(case=first, to=Status.IN_PROGRESS, actor=janis)
    other = make_case(team=payroll)
    receiver.answers = [500]  # the first case's "opened" fails once
    assert delivery.deliver_due() == {"retry": 1, "delivered": 1}
    sent = [(body["type"], body["data"]["case"]["reference"]) for body in receiver.bodies()]
    # The first case's status change waited behind its failed "opened"; the other case went ahead.
    assert sent == [("case.opened", first.reference), ("case.opened", other.reference)]
    waiting = WebhookDelivery.objects.get(event_type="case.status_changed")
    assert delivery.deliver(waiting.pk, now=later(3600)) == "skipped"  # its elder is due too: order first
    delivery.deliver_due(now=later(3600))
    sent = [(body["type"], body["data"]["case"]["reference"]) for body in receiver.bodies()]
    assert sent[2:] == [("case.opened", first.reference), ("case.status_changed", first.reference)]


def test_an_endpoint_is_paused_after_n_failures_in_a_row_and_its_owner_told(
    receiver, make_endpoint, make_case, payroll, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.CASEWORK_WEBHOOK_PAUSE_AFTER = 3
    admin_user.email = "ops@example.com"
    admin_user.save()
    endpoint = make_endpoint(events=["case.opened"])
    for _ in range(3):
        make_case(team=payroll)
    receiver.answers = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.deliver_due() == {"retry": 2, "paused": 1}
    endpoint.refresh_from_db()
    assert endpoint.paused_at is not None
    [message] = mail.outbox
    assert message.to == ["ops@example.com"] and "CRM" in message.subject
    assert "3" in message.body and reverse("admin:integrations_webhookendpoint_change", args=[endpoint.pk]) in message.body
    assert delivery.deliver_due(now=later(10_000)) == {}  # paused: nothing goes out
    assert len(receiver.requests) == 3

    receiver.answers = []
    delivery.resume(endpoint)
    assert delivery.deliver_due() == {"delivered": 3}
    endpoint.refresh_from_db()
    assert endpoint.paused_at is None and endpoint.consecutive_failures == 0
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "http://127.0.0.1:8000/", "http://localhost/", "http://169.254.169.254/latest",
            "http://10.0.0.5/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "https://user:pw@example.com/"],
)
def test_addresses_that_must_not_be_called_are_refused(settings, url):
    settings.CASEWORK_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(AddressRefused):
        check_url(url)
    endpoint = WebhookEndpoint(name="x", url=url, secret="whsec_x", event_types=["case.opened"])
    with pytest.raises(Exception, match="url"):
        endpoint.full_clean()


def test_a_loopback_receiver_is_refused_at_send_time_without_the_setting(receiver, make_endpoint, make_case, payroll, settings):
    make_endpoint(events=["case.opened"])
    make_case(team=payroll)
    settings.CASEWORK_WEBHOOKS_ALLOW_PRIVATE = False
    assert delivery.deliver_due() == {"retry": 1}
    assert "private, loopback" in WebhookDelivery.objects.get().last_error
    assert receiver.requests == []


def test_the_admin_lists_deliveries_and_sends_one_again(client, admin_user, receiver, make_endpoint, make_case, payroll, settings):
    settings.CASEWORK_WEBHOOK_ATTEMPTS = 1
    make_endpoint(events=["case.opened"])
    case = make_case(team=payroll)
    receiver.answers = [410]
    delivery.deliver_due()
    item = WebhookDelivery.objects.get()
    assert item.status == "failed"
    client.force_login(admin_user)
    page = client.get(reverse("admin:integrations_webhookdelivery_changelist"))
    assert page.status_code == 200
    assert case.reference in page.text and "Gave up" in page.text and "410" in page.text
    detail = client.get(reverse("admin:integrations_webhookdelivery_change", args=[item.pk]))
    assert "Send again now" in detail.text
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delivery, "_courier", None)  # the sweep sends it, as a worker would
        client.post(reverse("admin:integrations_webhookdelivery_retry", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == "pending"
    assert delivery.deliver_due() == {"delivered": 1}
    assert client.get(reverse("admin:integrations_webhookdelivery_retry", args=[item.pk])).status_code == 405


def test_the_admin_shows_a_new_endpoints_secret_once_and_refuses_a_private_url(client, admin_user, settings):
    settings.CASEWORK_WEBHOOKS_ALLOW_PRIVATE = False
    client.force_login(admin_user)
    url = reverse("admin:integrations_webhookendpoint_add")
    form = {"name": "BI", "url": "http://192.168.1.5/hook", "event_types": ["case.opened"], "is_active": "on"}
    refused = client.post(url, form)
    assert refused.status_code == 200 and "private" in refused.text
    form["url"] = "https://bi.example.com/hook"
    answer = client.post(url, form, follow=True)
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in answer.text
    assert endpoint.owner == admin_user
    assert endpoint.secret not in client.get(reverse("admin:integrations_webhookendpoint_change", args=[endpoint.pk])).text
