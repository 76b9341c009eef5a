"""The ingestion API as a survey tool sees it (DESIGN.md, "Ingestion API")."""

import pytest

from casework.cases.models import Case, Event
from casework.feedback.models import Respondent, Response

from .conftest import API, item

pytestmark = pytest.mark.django_db


def test_a_detractor_is_stored_and_opens_a_case_for_the_products_team(post, routes, payroll):
    response = post(item())
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["id"] == "r-1" and result["status"] == "created" and result["errors"] == {}
    case = Case.objects.get()
    assert result["case"] == case.reference
    assert case.team == payroll and case.priority == 3
    stored = Response.objects.get()
    assert (stored.metric, stored.score, stored.comment, stored.locale) == ("nps", 3, "Too slow", "lv")
    assert stored.respondent.name == "Anna Bērziņa" and stored.respondent.country == "LV"


def test_a_promoter_is_stored_and_opens_nothing(post, routes):
    [result] = post(item(score=10, comment="Great")).json()["results"]
    assert result == {"id": "r-1", "status": "created", "case": None, "errors": {}}
    assert Response.objects.count() == 1 and not Case.objects.exists()


def test_a_batch_answers_in_input_order_and_keeps_the_valid_items(post, routes):
    batch = [item(1), item(2, score="7"), item(3, score=9), item(4, metric="xyz")]
    results = post({"responses": batch}).json()["results"]
    assert [(r["id"], r["status"]) for r in results] == [
        ("r-1", "created"), ("r-2", "invalid"), ("r-3", "created"), ("r-4", "invalid"),
    ]
    assert results[1]["errors"] == {"score": ["Must be a whole number (a JSON integer, not a string or a decimal)."]}
    assert set(Response.objects.values_list("external_id", flat=True)) == {"r-1", "r-3"}


def test_sending_the_same_answer_again_creates_nothing_and_names_the_original_case(post, routes):
    first = post(item()).json()["results"][0]
    again = post(item(score=0, comment="changed my mind")).json()["results"][0]
    assert again == {"id": "r-1", "status": "duplicate", "case": first["case"], "errors": {}}
    assert Response.objects.count() == 1 and Case.objects.count() == 1
    assert Response.objects.get().score == 3


def test_duplicates_within_one_batch(post, routes):
    results = post({"responses": [item(1), item(1)]}).json()["results"]
    assert [r["status"] for r in results] == ["created", "duplicate"]
    assert results[0]["case"] == results[1]["case"]


def test_a_later_answer_joins_the_open_case_and_raises_its_priority(post, routes):
    first = post(item(1, score=5)).json()["results"][0]
    case = Case.objects.get()
    assert case.priority == 2
    same_person = item(2, score=1, respondent=item(1)["respondent"])
    second = post(same_person).json()["results"][0]
    assert second["case"] == first["case"]
    case.refresh_from_db()
    assert case.priority == 3
    assert case.case_responses.count() == 2
    assert set(case.events.values_list("kind", flat=True)) >= {Event.Kind.RESPONSE, Event.Kind.PRIORITY}


def test_another_product_opens_its_own_case(post, routes):
    post(item(1))
    other = item(2, product="Accounting", respondent=item(1)["respondent"])
    post(other)
    assert Case.objects.count() == 2


def test_respondents_are_matched_by_user_id_then_email_and_updated_from_newer_answers(post, routes):
    post(item(1, score=9))
    renamed = item(2, score=9, respondent={"id": "u-1", "email": "anna1@example.com", "name": "Anna Ozola", "country": "LV"})
    post(renamed)
    by_email = item(3, score=9, respondent={"email": "ANNA1@example.com"})
    post(by_email)
    assert Respondent.objects.count() == 1
    assert Respondent.objects.get().name == "Anna Ozola"
    assert Response.objects.filter(respondent__isnull=False).count() == 3


def test_an_older_answer_does_not_overwrite_newer_details(post, routes):
    from .conftest import answered

    post(item(1, score=9, answered_at=answered(5)))
    older = item(2, score=9, answered_at=answered(60 * 24), respondent={"id": "u-1", "name": "Old Name"})
    post(older)
    assert Respondent.objects.get().name == "Anna Bērziņa"


@pytest.mark.parametrize("state", ["objected_at", "restricted_at", "erased_at"])
def test_a_respondent_who_objected_gets_no_case_and_no_new_personal_data(post, routes, state):
    from django.utils import timezone

    post(item(1, score=9))
    Respondent.objects.update(**{state: timezone.now()})
    later = item(2, score=0, comment="Call me, Anna", respondent={**item(1)["respondent"], "name": "New Name"})
    [result] = post(later).json()["results"]
    assert result["status"] == "created" and result["case"] is None
    assert "without personal data" in result["warnings"][0]
    stored = Response.objects.get(external_id="r-2")
    assert stored.comment == "" and stored.page_url == ""
    assert Respondent.objects.get().name == "Anna Bērziņa"
    assert not Case.objects.exists()


def test_an_erased_person_is_recognised_without_keeping_their_address(post, routes):
    from casework.feedback.models import Suppression
    from casework.feedback.respondents import email_fingerprint

    Suppression.objects.create(digest=email_fingerprint("gone@example.com"))
    gone = item(1, score=0, respondent={"email": "Gone@Example.com", "name": "Gone Person"})
    [result] = post(gone).json()["results"]
    assert result["status"] == "created" and result["case"] is None and result["warnings"]
    assert not Respondent.objects.exists()
    assert Response.objects.get().respondent is None


def test_no_matching_route_stores_the_response_without_a_case(post, routes):
    [result] = post(item(product="Unknown product")).json()["results"]
    assert result["status"] == "created" and result["case"] is None


# Transport-level refusals: nothing is stored for any of them.


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic dXNlcjpwYXNz", "Token abc"])
def test_a_missing_or_unknown_token_is_401(client, routes, header):
    import json

    headers = {"Authorization": header} if header else {}
    response = client.post(API, json.dumps(item()), content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert "token" in response.json()["error"]
    assert not Response.objects.exists()


def test_a_signed_in_browser_session_is_not_accepted(client, janis, routes):
    import json

    client.force_login(janis)
    response = client.post(API, json.dumps(item()), content_type="application/json")
    assert response.status_code == 401
    assert not Response.objects.exists()


def test_no_csrf_token_is_needed(token, routes):
    import json

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(API, json.dumps(item()), content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_a_revoked_token_is_401(post, token, routes):
    from casework.feedback.models import ApiToken

    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert post(item()).status_code == 401


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "not valid UTF-8 JSON"),
        ("[1, 2]", "must be one response object"),
        ('"text"', "must be one response object"),
        ('{"responses": {}}', "must be a list"),
        ('{"responses": []}', "is empty"),
        ('{"responses": [], "extra": 1}', "no other keys"),
        ('{"id": "a", "metric": "nps", "score": 3, "id": "a-other"}', "The key 'id' appears twice"),
        ('{"responses": [{"id": "r-1", "respondent": {"email": "a@example.com", "email": "b@example.com"}}]}', "The key 'email' appears twice"),
    ],
)
def test_a_body_of_the_wrong_shape_is_400(post, routes, raw, message):
    response = post(None, raw=raw)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Response.objects.exists()


def test_invalid_utf8_is_400(post, routes):
    response = post(None, raw=b'{"id": "\xff"}')
    assert response.status_code == 400


def test_more_than_1000_in_a_batch_is_400(post, routes):
    response = post({"responses": [item(n) for n in range(1001)]})
    assert response.status_code == 400
    assert "At most 1000" in response.json()["error"]
    assert not Response.objects.exists()


def test_a_body_over_the_limit_is_413(post, routes, settings):
    settings.CASEWORK_API_MAX_BODY_BYTES = 2000
    response = post({"responses": [item(n) for n in range(20)]})
    assert response.status_code == 413
    assert not Response.objects.exists()


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_a_body_that_is_not_json_is_415(post, routes, content_type):
    response = post(item(), content_type=content_type)
    assert response.status_code == 415
    assert not Response.objects.exists()


def test_get_is_the_read_api_which_an_ingest_token_cannot_use(client, token):
    assert client.get(API, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.put(API, headers={"Authorization": f"Bearer {token}"}).status_code == 405
