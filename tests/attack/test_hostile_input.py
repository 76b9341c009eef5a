"""Hostile values in every input: NUL bytes, lone surrogates and right-to-left overrides in form and
JSON fields, SQL-ish filter, search and ordering values, oversize and deeply nested JSON. Each is a
clear 4xx or is stored safely, never a 500."""

import json
import time
from urllib.parse import urlencode

import pytest
from django.conf import settings

from casework.cases.models import Case, Tag
from casework.feedback.models import Respondent, Response
from casework.intake import signatures

from .checks import assert_secure

pytestmark = pytest.mark.django_db
RLO = "\u202e"
FORM_VALUES = {
    "NUL": "a\x00b",
    "lone surrogate": "a\ud800b",
    "right-to-left override": f"{RLO}gpj.exe",
    "very long": "x" * 10_000,
}
QUERY_VALUES = [
    "' OR 1=1 --", "1; DROP TABLE cases_case", "1 UNION SELECT password FROM auth_user", "%", "_", "\\", "%00", "\x00",
    "-respondent__email", "respondent__email", "__all__", "pk", "-", "9" * 30, "-1", "1e9", "[]", "{}", "0x41", RLO,
]


def _form_body(data: dict) -> bytes:
    # The test client cannot encode a lone surrogate; a browser or script sends its bytes anyway.
    return urlencode(data, doseq=True, encoding="utf-8", errors="surrogatepass").encode()


def _stored_texts_are_clean() -> list[str]:
    problems = []
    for model, fields in ((Tag, ["name"]), (Case, ["action_summary"]), (Respondent, ["name", "company", "email"])):
        for values in model.objects.values_list(*fields):
            for value in values:
                if "\x00" in value or any(0xD800 <= ord(char) <= 0xDFFF for char in value):
                    problems.append(f"{model.__name__} stored {value[:20]!r}")
    return problems


@pytest.mark.parametrize("kind", sorted(FORM_VALUES))
def test_form_fields(kind, world, url_of, as_user, each_route):
    def attack(name, route):
        base = route.form(world)
        for field in route.texts:
            field = field.replace("{pk}", str(world.privacy_request.pk))
            body = _form_body({**base, field: FORM_VALUES[kind]})
            response = as_user(route.user).post(url_of(name), body, content_type="application/x-www-form-urlencoded")
            assert response.status_code < 500, f"{field} with {kind}: {response.status_code}"
            assert_secure(response, f"{field} with {kind}")
        assert _stored_texts_are_clean() == []

    each_route(attack, where=lambda name, route: bool(route.texts))


def test_filter_search_and_ordering_values(world, url_of, as_user, make_other_teams_case, each_route):
    def attack(name, route):
        client = as_user(route.user)
        # Each parameter gets one value, in turn from a place that differs by URL, so that every value
        # reaches several parameters of several lists while the test stays quick.
        start = sum(map(ord, name))
        for number, parameter in enumerate(route.query, start=start):
            for value in (QUERY_VALUES[number % len(QUERY_VALUES)],):
                response = client.get(url_of(name), {parameter: value})
                assert response.status_code in (200, 400, 404), f"?{parameter}={value!r}: {response.status_code}"
                body = b"".join(response.streaming_content) if response.streaming else response.content
                assert make_other_teams_case.reference not in body.decode(), f"?{parameter}={value!r} shows another team's case"

    each_route(attack, where=lambda name, route: bool(route.query) and route.user in ("janis", "maija"))
    for value in QUERY_VALUES:
        response = as_user("dace").get(url_of("privacy:home"), {"q": value})
        assert response.status_code in (200, 400), f"privacy search {value!r}: {response.status_code}"
    # SQLite would search for a NUL; PostgreSQL refuses the query. Either way it is the searcher's mistake.
    assert as_user("dace").get(url_of("privacy:home"), {"q": "a\x00b"}).status_code == 400


@pytest.fixture
def make_other_teams_case(world):
    from casework.cases.opening import open_case
    from casework.feedback.models import Response as Answer
    from django.utils import timezone

    answer = Answer.objects.create(source=world.source, external_id="acc-1", metric="nps", score=1, comment="Accounting only",
                                   answered_at=timezone.now(), product="Accounting")
    return open_case(response=answer, team=world.accounting, priority=2, first_contact_due_at=timezone.now())


def _api(client, world, body: bytes):
    return client.generic("POST", "/api/v1/responses", body, content_type="application/json", headers={"Authorization": f"Bearer {world.token}"})


def _item(**changes):
    from django.utils import timezone

    data = {"id": "h-1", "metric": "nps", "score": 3, "answered_at": timezone.now().isoformat(), "product": "Payroll",
            "respondent": {"id": "hu-1", "email": "h@example.com", "name": "Hostile"}}
    for key, value in changes.items():
        if key.startswith("respondent."):
            data["respondent"][key.removeprefix("respondent.")] = value
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(("field", "value"), [
    ("id", "a\x00b"), ("id", "a\ud800"), ("id", f"r-{RLO}1"), ("product", f"Pay{RLO}roll"), ("comment", "a\x00b"),
    ("respondent.name", f"Anna {RLO}gpj.exe"), ("respondent.company", f"\u2066Evil\u2069"), ("respondent.name", "a\ud800"),
    ("respondent.email", f"{RLO}a@example.com"), ("respondent.id", "u\x00"), ("locale", "l\x00v"), ("url", f"https://x.example/{RLO}"),
])
def test_json_fields_refuse_what_cannot_be_stored_or_shown_safely(client, world, field, value):
    response = _api(client, world, json.dumps(_item(**{field: value})).encode())
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "invalid" and field in result["errors"], result
    assert not Response.objects.filter(external_id="h-1").exists()


def test_a_right_to_left_override_in_a_comment_is_stored_as_written(client, world):
    """A comment may be in any script; it is shown in its own block, escaped, so the override cannot
    reorder anything around it."""
    response = _api(client, world, json.dumps(_item(comment=f"Slow {RLO}gpj.exe")).encode())
    assert response.json()["results"][0]["status"] == "created"
    assert Response.objects.get(external_id="h-1").comment == f"Slow {RLO}gpj.exe"


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"responses": [' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"]}",
    b'{"id": "x", "respondent": ' + b'{"name":' * 3000 + b'"x"' + b"}" * 3001,
    json.dumps({"responses": [_item(id=f"b-{n}") for n in range(1001)]}).encode(),
    b'{"id": "\\ud800\\udfff\\ud800"}',
    b"\xff\xfe{}",
], ids=["nested-array", "nested-item", "nested-respondent", "batch-too-big", "surrogate-escapes", "not-utf8"])
def test_absurd_json_to_the_api_is_a_4xx_or_field_errors(client, world, body):
    response = _api(client, world, body)
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        assert all(result["status"] == "invalid" for result in response.json()["results"])
    assert_secure(response, "the API's answer")


def test_oversize_bodies_are_413_before_they_are_read(client, world):
    body = b'{"comment": "' + b"x" * settings.CASEWORK_API_MAX_BODY_BYTES + b'"}'
    assert _api(client, world, body).status_code == 413
    response = client.generic("POST", f"/api/v1/webhooks/{world.webhook_source.slug}", body, content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize("body", [b"[" * 100_000 + b"]" * 100_000, b'{"type": ' + b'{"a":' * 5000 + b"1" + b"}" * 5001, b"\xff"])
def test_absurd_signed_webhook_bodies_fail_visibly_not_with_a_crash(client, world, body, django_capture_on_commit_callbacks):
    from casework.intake.models import Delivery

    stamp = int(time.time())
    headers = {"webhook-id": "msg-absurd", "webhook-timestamp": str(stamp),
               "webhook-signature": signatures.sign_standard(world.webhook_secret, "msg-absurd", stamp, body)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.generic("POST", f"/api/v1/webhooks/{world.webhook_source.slug}", body, content_type="application/json", headers=headers)
    assert response.status_code in (202, 400), response.status_code
    if response.status_code == 202:
        delivery = Delivery.objects.get(pk=response.json()["delivery"])
        assert delivery.status == "failed" and delivery.error
