"""What ingestion does with a batch, on both of its paths: the fast batch path, and the one-by-one path a
batch falls back to when a concurrent writer makes its transaction fail. Each scenario runs on both, and
each run checks which path actually ran, so a batch path that silently fell back fails here too."""

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.cases.lifecycle import Status
from casework.cases.models import Case, CaseResponse, Event
from casework.feedback.models import Response, Source, Suppression
from casework.feedback.respondents import email_fingerprint
from casework.intake import ingestion
from casework.intake.duetimes import due_at
from casework.intake.models import Rule

from .conftest import item

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["batch", "one by one"])
def path(request, monkeypatch):
    """Runs the scenario on one path and checks afterwards that it was that path which ran."""
    fell_back = []
    real_item, real_batch = ingestion._ingest_item, ingestion._ingest_batch

    def one(item_, context):
        fell_back.append(item_.external_id)
        return real_item(item_, context)

    def batch_meets_a_concurrent_writer(valid, results, context):
        real_batch(valid, results, context)  # all its work is rolled back with the transaction
        raise IntegrityError("a concurrent request stored one of these answers")

    monkeypatch.setattr(ingestion, "_ingest_item", one)
    if request.param == "one by one":
        monkeypatch.setattr(ingestion, "_ingest_batch", batch_meets_a_concurrent_writer)
    yield request.param
    assert bool(fell_back) == (request.param == "one by one")


@pytest.fixture
def detractors(payroll):
    Rule.objects.all().delete()  # the shipped rules route by product; this one names its team
    return Rule.objects.create(
        name="Detractors", metric="nps", score_max=6, team=payroll, priority=3, first_contact_hours=5, resolution_hours=50
    )


def ingest(source, *items, now=None):
    return [result.as_dict() for result in ingestion.ingest(source, list(items), now=now or timezone.now())]


def anonymous(number, **fields):
    return item(number, respondent=None, **fields)


def test_a_detractor_opens_a_case_with_the_rules_priority_and_due_times(path, source, detractors, payroll):
    now = timezone.now()
    [result] = ingest(source, item(1), now=now)
    case = Case.objects.get()
    assert result == {"id": "r-1", "status": "created", "case": case.reference, "errors": {}}
    assert (case.team, case.priority, case.status) == (payroll, 3, Status.NEW)
    assert case.first_contact_due_at == due_at(now, 5, team=payroll)
    assert case.resolution_due_at == due_at(now, 50, team=payroll)
    assert case.respondent.email == "anna1@example.com" and case.response.comment == "Too slow"


def test_an_inactive_rule_opens_no_case(path, source, detractors):
    Rule.objects.filter(pk=detractors.pk).update(is_active=False)
    [result] = ingest(source, item(1))
    assert result["status"] == "created" and result["case"] is None
    assert Response.objects.count() == 1 and not Case.objects.exists()


def test_a_later_answer_joins_the_persons_open_case(path, source, detractors):
    [first] = ingest(source, item(1))
    [second] = ingest(source, item(2, respondent={"id": "u-1", "email": "anna1@example.com"}))
    assert second["case"] == first["case"] and Case.objects.count() == 1
    assert CaseResponse.objects.count() == 2


def test_a_later_answer_never_joins_a_closed_case(path, source, detractors):
    [first] = ingest(source, item(1))
    Case.objects.update(status=Status.CLOSED, closed_at=timezone.now(), close_reason="no_action")
    [second] = ingest(source, item(2, respondent={"id": "u-1", "email": "anna1@example.com"}))
    assert second["case"] not in (None, first["case"])
    assert Case.objects.filter(status=Status.CLOSED).get().reference == first["case"]
    assert CaseResponse.objects.filter(case__status=Status.CLOSED).count() == 1


def test_two_anonymous_detractors_in_one_batch_get_a_case_each(path, source, detractors):
    results = ingest(source, anonymous(1), anonymous(2))
    assert len({result["case"] for result in results}) == 2 and None not in {result["case"] for result in results}
    assert Case.objects.count() == 2


def test_two_answers_of_one_person_in_one_batch_share_a_case(path, source, detractors):
    same = {"id": "u-7", "email": "anna7@example.com"}
    results = ingest(source, item(1, respondent=same), item(2, respondent=same))
    assert results[0]["case"] == results[1]["case"] is not None
    assert Case.objects.count() == 1 and CaseResponse.objects.count() == 2


def test_the_same_answer_again_is_a_duplicate_naming_its_case(path, source, detractors):
    [first] = ingest(source, item(1))
    [again] = ingest(source, item(1))
    assert again == {"id": "r-1", "status": "duplicate", "case": first["case"], "errors": {}}
    assert Response.objects.count() == 1


def test_the_same_answer_id_from_another_tool_is_another_answer(path, source, detractors):
    other = Source.objects.create(name="Other tool", slug="other")
    ingest(other, item(1))
    [result] = ingest(source, item(1))
    assert result["status"] == "created" and result["case"] is not None
    assert Response.objects.filter(external_id="r-1").count() == 2


def test_a_suppressed_person_is_stored_without_personal_data_and_gets_no_case(path, source, detractors):
    Suppression.objects.create(digest=email_fingerprint("anna1@example.com"))
    [result] = ingest(source, item(1))
    assert result["status"] == "created" and result["case"] is None and "without personal data" in result["warnings"][0]
    response = Response.objects.get()
    assert (response.respondent, response.comment, response.page_url) == (None, "", "")
    assert not Case.objects.exists()


def test_an_address_that_disagrees_is_reported_on_the_case(path, source, detractors):
    [first] = ingest(source, item(1))
    [second] = ingest(source, item(2, respondent={"id": "u-1", "email": "someone.else@example.com"}))
    assert second["case"] == first["case"]
    event = Event.objects.get(kind=Event.Kind.IDENTITY)
    assert event.case.reference == first["case"]
    assert event.data["fields"] == ["email"] and event.data["received"] == {"email": "someone.else@example.com"}
    assert event.data["source"] == source.name


def test_invalid_items_are_reported_and_valid_neighbours_stored(path, source, detractors):
    results = ingest(source, item(1, score=99), item(2))
    assert results[0]["status"] == "invalid" and results[0]["id"] == "r-1" and "score" in results[0]["errors"]
    assert results[1]["status"] == "created" and results[1]["case"]


def test_a_batch_takes_the_same_number_of_queries_whatever_its_size(source, detractors, monkeypatch):
    monkeypatch.setattr(ingestion, "_ingest_item", lambda *args: pytest.fail("the batch fell back to one by one"))

    def queries(first, count):
        with CaptureQueriesContext(connection) as captured:
            results = ingestion.ingest(source, [item(number) for number in range(first, first + count)])
        assert all(result.status == "created" and result.case for result in results)
        return len(captured)

    assert queries(100, 3) == queries(200, 30)
    assert Case.objects.count() == 33
