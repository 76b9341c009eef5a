"""The requests log: one month to answer (GDPR Art. 12(3)), extendable once by two months with a reason."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.outreach.optout import optout_url
from casework.privacy import requestlog
from casework.privacy.models import PrivacyRequest, add_months
from casework.privacy.requestlog import RequestError

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        (D(2026, 11, 20), 1, D(2026, 12, 20)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 3, 31), 3, D(2026, 6, 30)),
    ],
)
def test_deadlines_count_calendar_months(received, months, due):
    assert add_months(received, months) == due


def test_a_logged_request_is_due_a_month_after_it_was_received(anna, dace):
    request = requestlog.log_request(respondent=anna.respondent, kind="erasure", actor=dace, received_on=D(2026, 1, 31))
    assert request.due_on == D(2026, 2, 28) and request.status == "open" and request.recorded_by == dace


def test_the_received_day_cannot_be_in_the_future(anna, dace):
    with pytest.raises(RequestError, match="future"):
        requestlog.log_request(
            respondent=anna.respondent, kind="access", actor=dace, received_on=timezone.localdate() + datetime.timedelta(days=1)
        )


def test_an_extension_needs_a_reason_happens_once_and_only_within_the_first_month(anna, dace):
    today = timezone.localdate()
    request = requestlog.log_request(respondent=anna.respondent, kind="access", actor=dace, received_on=today - datetime.timedelta(days=10))
    with pytest.raises(RequestError, match="reason"):
        requestlog.extend_request(request=request, actor=dace, reason="  ")
    request = requestlog.extend_request(request=request, actor=dace, reason="Ten years of answers to collect")
    assert request.extended_due_on == add_months(request.received_on, 3) and request.deadline == request.extended_due_on
    with pytest.raises(RequestError, match="once"):
        requestlog.extend_request(request=request, actor=dace, reason="again")
    late = requestlog.log_request(respondent=anna.respondent, kind="erasure", actor=dace, received_on=today - datetime.timedelta(days=40))
    with pytest.raises(RequestError, match="passed"):
        requestlog.extend_request(request=late, actor=dace, reason="too late")


def test_acting_completes_the_oldest_open_request_of_its_kind(anna, dace):
    from casework.privacy import rights

    first = requestlog.log_request(respondent=anna.respondent, kind="objection", actor=dace, received_on=D(2026, 1, 5))
    second = requestlog.log_request(respondent=anna.respondent, kind="objection", actor=dace, received_on=D(2026, 1, 6))
    done = rights.object_to_contact(respondent=anna.respondent, actor=dace)
    assert done.pk == first.pk
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, first.action, first.handled_by) == ("done", "objected", dace)
    assert second.status == "open"


def test_a_request_can_be_refused_with_the_reason(client, anna, dace):
    request = requestlog.log_request(respondent=anna.respondent, kind="erasure", actor=dace)
    client.force_login(dace)
    url = reverse("privacy:refuse", args=[request.pk])
    client.post(url, {f"request-{request.pk}-reason": ""})
    assert PrivacyRequest.objects.get(pk=request.pk).status == "open"
    response = client.post(url, {f"request-{request.pk}-reason": "Identity could not be confirmed"}, follow=True)
    assert "The request is closed as refused." in response.text
    request.refresh_from_db()
    assert (request.status, request.note, request.handled_by) == ("refused", "Identity could not be confirmed", dace)


def test_the_desk_extends_a_deadline(client, anna, dace):
    request = requestlog.log_request(respondent=anna.respondent, kind="access", actor=dace)
    client.force_login(dace)
    page = client.post(reverse("privacy:extend", args=[request.pk]), {f"request-{request.pk}-reason": "Complex request"}, follow=True)
    assert "The deadline is extended by two months." in page.text and "(extended)" in page.text
    assert PrivacyRequest.objects.get(pk=request.pk).extended_by == dace


def test_an_objection_through_the_opt_out_link_is_on_the_log_as_handled(anna):
    path = optout_url(anna.respondent).split("8000", 1)[1]
    Client().post(path)
    request = PrivacyRequest.objects.get(kind="objection")
    assert (request.status, request.action, request.channel, request.handled_by) == ("done", "objected", "opt-out", None)
    assert request.received_on == timezone.localdate()
    Client().post(path)  # a second click is no second request
    assert PrivacyRequest.objects.filter(kind="objection").count() == 1


def test_logging_a_request_on_the_desk(client, anna, dace):
    client.force_login(dace)
    url = reverse("privacy:log-request", args=[anna.respondent.pk])
    bad = client.post(url, {"log-kind": "erasure", "log-received_on": "2999-01-01"})
    assert bad.status_code == 422 and "cannot be in the future" in bad.text
    client.post(url, {"log-kind": "erasure", "log-received_on": "2026-01-31", "log-note": "By letter"})
    request = PrivacyRequest.objects.get(kind="erasure")
    assert (request.received_on, request.due_on, request.note) == (D(2026, 1, 31), D(2026, 2, 28), "By letter")
