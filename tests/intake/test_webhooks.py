"""Survey tools' own webhooks at /api/v1/webhooks/<slug>, built from each tool's documented example
payloads and signed as the tool signs them."""

import time

import pytest

from casework.cases.models import Case, Event
from casework.feedback.models import Respondent, Response
from casework.intake.models import Delivery

from . import payloads

pytestmark = pytest.mark.django_db

NPS = {"key": "nps", "target": "score", "metric": "nps"}
WHY = {"key": "why", "target": "comment"}


@pytest.fixture
def formbricks(make_source, routes):
    return make_source("formbricks", default_product="Payroll", mappings=[NPS, WHY])


def test_formbricks_two_phase_response_completes_one_response_and_one_case(webhook, formbricks):
    created = payloads.formbricks("responseCreated", data={"nps": 3})
    assert webhook(formbricks, created, secret=formbricks.secret, msg_id="m1").status_code == 202
    response = Response.objects.get()
    assert (response.external_id, response.metric, response.score, response.comment) == ("responseId", "nps", 3, "")
    case = Case.objects.get()
    assert case.team.name == "Payroll"

    updated = payloads.formbricks("responseUpdated", data={"nps": 3, "why": "Payslips are too slow"})
    assert webhook(formbricks, updated, secret=formbricks.secret, msg_id="m2").status_code == 202
    finished = payloads.formbricks("responseFinished", data={"nps": 3, "why": "Payslips are too slow"}, finished=True)
    assert webhook(formbricks, finished, secret=formbricks.secret, msg_id="m3").status_code == 202

    response.refresh_from_db()
    assert response.comment == "Payslips are too slow"
    assert Response.objects.count() == 1 and Case.objects.count() == 1
    [revised] = case.events.filter(kind=Event.Kind.REVISED)
    assert revised.data["fields"] == ["comment"] and revised.data["response"] == response.pk
    assert [d.status for d in Delivery.objects.order_by("pk")] == ["processed"] * 3
    assert Delivery.objects.order_by("pk").last().outcome == "responseId: duplicate " + case.reference


def test_a_later_lower_score_updates_the_case_and_raises_its_priority(webhook, formbricks):
    webhook(formbricks, payloads.formbricks(data={"nps": 6}), secret=formbricks.secret, msg_id="m1")
    case = Case.objects.get()
    assert (case.score, case.priority) == (6, 2)
    webhook(formbricks, payloads.formbricks("responseUpdated", data={"nps": 1}), secret=formbricks.secret, msg_id="m2")
    case.refresh_from_db()
    assert (case.score, case.priority) == (1, 3)
    revised = case.events.get(kind=Event.Kind.REVISED)
    assert revised.data["score"] == {"from": 6, "to": 1}
    assert case.events.filter(kind=Event.Kind.PRIORITY).exists()


def test_a_response_that_becomes_a_detractor_later_opens_its_case_then(webhook, formbricks):
    webhook(formbricks, payloads.formbricks(data={"nps": 9}), secret=formbricks.secret, msg_id="m1")
    assert not Case.objects.exists()
    webhook(formbricks, payloads.formbricks("responseUpdated", data={"nps": 2}), secret=formbricks.secret, msg_id="m2")
    case = Case.objects.get()
    assert case.response == Response.objects.get() and case.score == 2


def test_formbricks_anonymous_response_is_stored_without_a_person(webhook, formbricks):
    webhook(formbricks, payloads.formbricks(data={"nps": 2, "why": "No"}), secret=formbricks.secret)
    response = Response.objects.get()
    assert response.respondent is None and response.comment == "No"
    assert not Respondent.objects.exists()


def test_formbricks_contact_is_the_respondent_by_user_id_and_email(webhook, formbricks):
    payload = payloads.formbricks(
        data={"nps": 10}, contact={"id": "c1", "userId": "u-77"},
        attributes={"email": "anna@example.com", "firstName": "Anna", "lastName": "Bērziņa"},
    )
    webhook(formbricks, payload, secret=formbricks.secret)
    person = Response.objects.get().respondent
    assert (person.email, person.name, person.country) == ("anna@example.com", "Anna Bērziņa", "DE")
    assert person.identities.get().external_id == "u-77"


def test_scores_sent_as_strings_are_read_as_numbers(webhook, formbricks):
    webhook(formbricks, payloads.formbricks(data={"nps": "4"}), secret=formbricks.secret)
    assert Response.objects.get().score == 4


def test_a_score_that_is_not_a_number_fails_the_delivery_and_keeps_it(webhook, formbricks):
    webhook(formbricks, payloads.formbricks(data={"nps": "very likely"}), secret=formbricks.secret)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "score" in delivery.error and delivery.body
    assert not Response.objects.exists()


def test_wrong_signature_is_refused_and_nothing_stored(webhook, formbricks):
    other = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="
    answer = webhook(formbricks, payloads.formbricks(data={"nps": 3}), secret=other)
    assert answer.status_code == 401 and "Signature" in answer.json()["error"]
    assert not Delivery.objects.exists() and not Response.objects.exists()


@pytest.mark.parametrize("headers", [{}, {"webhook-id": "m1", "webhook-timestamp": "1", "webhook-signature": "v1"},
                                     {"webhook-id": "m1", "webhook-timestamp": "x", "webhook-signature": "v1,AAAA"}])
def test_missing_or_malformed_signature_headers_are_refused(webhook, formbricks, headers):
    assert webhook(formbricks, payloads.formbricks(data={"nps": 3}), headers=headers).status_code == 401
    assert not Delivery.objects.exists()


# Just past the five minutes for a stale one; well past for a future one, since the clock runs on while
# a loaded machine gets to the check.
@pytest.mark.parametrize("offset", [-301, 600])
def test_a_stale_or_future_timestamp_is_refused(webhook, formbricks, offset):
    stamp = int(time.time()) + offset
    answer = webhook(formbricks, payloads.formbricks(data={"nps": 3}), secret=formbricks.secret, timestamp=stamp)
    assert answer.status_code == 401 and "five minutes" in answer.json()["error"]
    assert not Delivery.objects.exists()


def test_a_replayed_delivery_is_acknowledged_and_ignored(webhook, formbricks):
    payload = payloads.formbricks(data={"nps": 3})
    assert webhook(formbricks, payload, secret=formbricks.secret, msg_id="same").status_code == 202
    again = webhook(formbricks, payload, secret=formbricks.secret, msg_id="same")
    assert again.status_code == 200 and again.json() == {"status": "already received"}
    assert Delivery.objects.count() == 1 and Response.objects.count() == 1


def test_a_rotated_secret_and_several_signatures(webhook, formbricks):
    from casework.feedback.webhook_secrets import add_webhook_secret
    from casework.intake.signatures import sign_standard

    new = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="
    add_webhook_secret(source=formbricks, secret=new)
    body = payloads.formbricks(data={"nps": 3})
    import json

    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    signature = "v1,bm90IHRoZSBzaWduYXR1cmU= " + sign_standard(new, "m9", int(stamp), raw)
    answer = webhook(formbricks, raw=raw, headers={"webhook-id": "m9", "webhook-timestamp": stamp, "webhook-signature": signature})
    assert answer.status_code == 202
    assert webhook(formbricks, body, secret=formbricks.secret, msg_id="m10").status_code == 202


def test_formbricks_address_test_is_answered_without_a_signature_and_stores_nothing(webhook, formbricks):
    answer = webhook(formbricks, raw=b'{"event":"testEndpoint"}', headers={})
    assert answer.status_code == 200 and not Delivery.objects.exists()


def test_a_partial_response_before_the_score_stores_nothing_yet(webhook, formbricks):
    webhook(formbricks, payloads.formbricks(data={"why": "Hm"}), secret=formbricks.secret)
    delivery = Delivery.objects.get()
    assert delivery.status == "ignored" and delivery.body == b"" and not Response.objects.exists()


def test_an_unmapped_survey_is_kept_with_its_error_and_retried_once_mapped(webhook, make_source, routes, django_capture_on_commit_callbacks):
    from casework.feedback.models import FieldMapping
    from casework.intake.deliveries import retry_delivery

    source = make_source("formbricks", default_product="Payroll")
    webhook(source, payloads.formbricks(data={"nps": 3}), secret=source.secret)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "surveyId" in delivery.error and delivery.body
    FieldMapping.objects.create(source=source, survey="surveyId", key="nps", target="score", metric="nps")
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_delivery(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == "processed" and delivery.body == b"" and delivery.attempts == 2
    assert Response.objects.get().score == 3


def test_an_unknown_or_file_source_address_is_not_found(webhook, make_source):
    qualtrics = make_source("qualtrics_csv")
    assert webhook(qualtrics, {"x": 1}, headers={}).status_code == 404
    assert webhook(type("S", (), {"slug": "nope", "kind": "formbricks"}), {"x": 1}, headers={}).status_code == 404


# Delighted


@pytest.fixture
def delighted(make_source, routes):
    return make_source("delighted", default_product="Payroll")


def test_delighted_documented_example(webhook, delighted):
    assert webhook(delighted, payloads.DELIGHTED, secret=delighted.secret).status_code == 202
    response = Response.objects.get()
    assert (response.external_id, response.metric, response.score) == ("5435", "nps", 9)
    assert response.comment == "Your service is fast and flawless!"
    person = response.respondent
    assert (person.email, person.name, person.identities.get().external_id) == ("charlie_gravis@example.com", "Charlie Gravis", "5975")
    assert not Case.objects.exists()


def test_delighted_score_first_then_comment(webhook, delighted):
    created = payloads.delighted("survey_response.created", "e1", score=3, comment=None)
    webhook(delighted, created, secret=delighted.secret)
    case = Case.objects.get()
    assert Response.objects.get().comment == ""
    updated = payloads.delighted("survey_response.updated", "e2", score=3, comment="I want a refund")
    webhook(delighted, updated, secret=delighted.secret)
    assert Response.objects.get().comment == "I want a refund"
    assert Case.objects.get() == case
    assert case.events.filter(kind=Event.Kind.REVISED).count() == 1


def test_delighted_score_as_string_and_retry_of_the_same_event(webhook, delighted):
    payload = payloads.delighted(score="2")
    webhook(delighted, payload, secret=delighted.secret)
    assert webhook(delighted, payload, secret=delighted.secret).json() == {"status": "already received"}
    assert Response.objects.get().score == 2 and Delivery.objects.count() == 1


@pytest.mark.parametrize("header", [None, "sha256=00", "sha1=" + "0" * 64, "sha256=" + "0" * 64])
def test_delighted_bad_signature(webhook, delighted, header):
    headers = {} if header is None else {"X-Delighted-Webhook-Signature": header}
    assert webhook(delighted, payloads.DELIGHTED, headers=headers).status_code == 401
    assert not Delivery.objects.exists()


def test_delighted_unsubscribe_is_ignored(webhook, delighted):
    webhook(delighted, {"event_type": "unsubscribe.created", "event_id": "u1", "event_data": {}}, secret=delighted.secret)
    assert Delivery.objects.get().status == "ignored" and not Response.objects.exists()


def test_delighted_three_point_csat_is_converted_by_its_mapping(webhook, make_source, routes):
    from casework.feedback.models import FieldMapping

    source = make_source("delighted")
    FieldMapping.objects.create(source=source, key="csat", target="score", metric="csat", scale=3)
    for event_id, response_id, score in [("e1", "r1", 1), ("e2", "r2", 2), ("e3", "r3", 3)]:
        webhook(source, payloads.delighted(event_id=event_id, id=response_id, survey_type="csat", score=score), secret=source.secret)
    assert dict(Response.objects.values_list("external_id", "score")) == {"r1": 1, "r2": 3, "r3": 5}


def test_delighted_survey_type_without_a_metric_fails_visibly(webhook, delighted):
    webhook(delighted, payloads.delighted(survey_type="thumbs", score=1), secret=delighted.secret)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "thumbs" in delivery.error


# Typeform


@pytest.fixture
def typeform(make_source, routes):
    return make_source("typeform", default_product="Payroll", mappings=[
        {"key": "readable_ref_opinion_scale", "target": "score", "metric": "csat"},
        {"key": "readable_ref_long_text", "target": "comment"},
        {"key": "readable_ref_email", "target": "respondent_email"},
        {"key": "user_id", "target": "respondent_id"},
    ])


def test_typeform_documented_example_mapped_by_field_ref(webhook, typeform):
    assert webhook(typeform, payloads.TYPEFORM, secret=typeform.secret).status_code == 202
    response = Response.objects.get()
    assert (response.external_id, response.metric, response.score) == ("a3a12ec67a1365927098a606107fac15", "csat", 2)
    assert response.comment == "It's cold right now! I'm freezing."
    assert response.respondent.email == "laura@example.com"
    assert response.respondent.identities.get().external_id == "abc123456"
    assert Case.objects.get().response == response


def test_typeform_wrong_signature(webhook, typeform):
    answer = webhook(typeform, payloads.TYPEFORM, headers={"Typeform-Signature": "sha256=" + "A" * 43 + "="})
    assert answer.status_code == 401 and not Delivery.objects.exists()


def test_typeform_form_without_a_score_mapping_fails(webhook, make_source):
    source = make_source("typeform")
    webhook(source, payloads.TYPEFORM, secret=source.secret)
    assert "lT4Z3j" in Delivery.objects.get().error


# Casework's own JSON, signed


def test_casework_json_through_a_signed_webhook(webhook, make_source, routes):
    from .conftest import item

    source = make_source("casework")
    assert webhook(source, {"responses": [item(1), item(2, score="x")]}, secret=source.secret).status_code == 202
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and "r-2: score" in delivery.error
    assert list(Response.objects.values_list("external_id", flat=True)) == ["r-1"]


def test_with_a_worker_the_answer_comes_first_and_the_delivery_waits_in_the_queue(webhook, formbricks, settings):
    from django_tasks_db.models import DBTaskResult

    from casework.intake.deliveries import process_delivery

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert webhook(formbricks, payloads.formbricks(data={"nps": 3}), secret=formbricks.secret).status_code == 202
    delivery = Delivery.objects.get()
    assert delivery.status == "received" and delivery.body and not Response.objects.exists()
    task = DBTaskResult.objects.get()
    assert task.task_path == "casework.intake.tasks.process_delivery_task" and task.args_kwargs["args"] == [delivery.pk]
    process_delivery(delivery.pk)  # what the worker runs
    delivery.refresh_from_db()
    assert delivery.status == "processed" and Response.objects.get().score == 3


def test_an_internal_error_while_processing_keeps_the_delivery_for_a_retry(webhook, formbricks, monkeypatch):
    from django.utils import timezone

    def broken(source, items):
        # A real database error inside the request's transaction (the in-process task backend).
        Delivery.objects.create(source=source, delivery_id="same", received_at=timezone.now())

    monkeypatch.setattr("casework.intake.deliveries.ingest_or_complete", broken)
    answer = webhook(formbricks, payloads.formbricks(data={"nps": 3}), secret=formbricks.secret, msg_id="same")
    assert answer.status_code == 202
    delivery = Delivery.objects.get()
    assert delivery.status == "failed" and delivery.body and "Internal error" in delivery.error
