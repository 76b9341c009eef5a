"""Every way an item can be wrong gets a field-level message, and nothing of it is stored."""

import datetime

import pytest
from django.utils import timezone

from casework.cases.models import Case
from casework.feedback.models import Respondent, Response

from .conftest import item

pytestmark = pytest.mark.django_db

SOON = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
PERSON = item()["respondent"]

BAD_ITEMS = [
    ("missing id", {"id": None}, "id", "This field is required."),
    ("id not a string", {"id": 17}, "id", "Must be a string."),
    ("id too long", {"id": "r" * 201}, "id", "At most 200 characters."),
    ("id with a line break", {"id": "r-1\nX"}, "id", "Must be one line without control characters"),
    ("missing metric", {"metric": None}, "metric", "This field is required."),
    ("unknown metric", {"metric": "xyz"}, "metric", "Must be one of: ces, csat, nps."),
    ("metric in capitals", {"metric": "NPS"}, "metric", "Must be one of: ces, csat, nps."),
    ("missing score", {"score": None}, "score", "This field is required."),
    ("score as a string", {"score": "3"}, "score", "Must be a whole number (a JSON integer"),
    ("score as a decimal", {"score": 3.0}, "score", "Must be a whole number (a JSON integer"),
    ("score as a boolean", {"score": True}, "score", "Must be a whole number (a JSON integer"),
    ("score as NaN", {"score": float("nan")}, "score", "Must be a whole number, not NaN or infinity."),
    ("NPS above 10", {"score": 11}, "score", "Must be from 0 to 10 for nps."),
    ("NPS below 0", {"score": -1}, "score", "Must be from 0 to 10 for nps."),
    ("CES 0", {"metric": "ces", "score": 0}, "score", "Must be from 1 to 7 for ces."),
    ("CES 8", {"metric": "ces", "score": 8}, "score", "Must be from 1 to 7 for ces."),
    ("CSAT 6", {"metric": "csat", "score": 6}, "score", "Must be from 1 to 5 for csat."),
    ("missing answered_at", {"answered_at": None}, "answered_at", "This field is required."),
    ("answered_at not a date", {"answered_at": "yesterday"}, "answered_at", "Must be an ISO 8601 date and time"),
    ("answered_at as a number", {"answered_at": 1732000000}, "answered_at", "Must be an ISO 8601 date and time string."),
    ("answered_at without a zone", {"answered_at": "2026-11-20T10:15:00"}, "answered_at", "Must include a time zone"),
    ("answered_at in the future", {"answered_at": SOON}, "answered_at", "Must not be in the future."),
    ("unknown channel", {"channel": "fax"}, "channel", "Must be one of: email, link, mobile, web."),
    ("comment not a string", {"comment": ["a"]}, "comment", "Must be a string."),
    ("comment with NUL", {"comment": "bad\x00byte"}, "comment", "Must not contain NUL characters."),
    ("comment too long", {"comment": "x" * 5001}, "comment", "At most 5000 characters."),
    ("product too long", {"product": "p" * 101}, "product", "At most 100 characters."),
    ("url not http", {"url": "javascript:alert(1)"}, "url", "Must be an http or https URL."),
    ("url not a url", {"url": "not a url"}, "url", "Must be an http or https URL."),
    ("bad locale", {"locale": "latvian!"}, "locale", "Must be a language tag"),
    ("unknown field", {"rating": 3}, "rating", "Unknown field."),
    ("respondent not an object", {"respondent": "anna"}, "respondent", "Must be a JSON object."),
    ("unknown respondent field", {"respondent": {**PERSON, "age": 3}}, "respondent.age", "Unknown field."),
    ("invalid e-mail", {"respondent": {**PERSON, "email": "anna@"}}, "respondent.email", "Must be a valid e-mail address."),
    ("e-mail with CR/LF", {"respondent": {**PERSON, "email": "a@example.com\r\nBcc: x@example.com"}}, "respondent.email", "Must be one line"),
    ("name with a line break", {"respondent": {**PERSON, "name": "Anna\nBcc: x@example.com"}}, "respondent.name", "Must be one line"),
    ("name with NUL", {"respondent": {**PERSON, "name": "Anna\x00"}}, "respondent.name", "Must be one line"),
    ("company with a line break", {"respondent": {**PERSON, "company": "A\rB"}}, "respondent.company", "Must be one line"),
    ("country not ISO", {"respondent": {**PERSON, "country": "XX"}}, "respondent.country", "Must be an ISO 3166-1 alpha-2"),
    ("country alpha-3", {"respondent": {**PERSON, "country": "LVA"}}, "respondent.country", "At most 2 characters."),
    ("name too long", {"respondent": {**PERSON, "name": "n" * 201}}, "respondent.name", "At most 200 characters."),
    ("name as an encoded word", {"respondent": {**PERSON, "name": "=?UTF-8?Q?Bob=0ABcc:_x@evil.example?="}}, "respondent.name", "Must be plain text, not an e-mail encoded word"),
    ("name hiding an encoded word", {"respondent": {**PERSON, "name": "Bob =?utf-8?b?Qm9iDQpCY2M6IHhAZXZpbC5leGFtcGxl?="}}, "respondent.name", "Must be plain text, not an e-mail encoded word"),
    ("company as an encoded word", {"respondent": {**PERSON, "company": "=?iso-8859-1?q?ACME=0D?="}}, "respondent.company", "Must be plain text, not an e-mail encoded word"),
]


@pytest.mark.parametrize(("kind", "changes", "field", "message"), BAD_ITEMS, ids=[row[0] for row in BAD_ITEMS])
def test_bad_input_is_refused_with_its_field_and_reason(post, routes, kind, changes, field, message):
    response = post(item(**changes))
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "invalid"
    assert result["case"] is None
    assert field in result["errors"], result["errors"]
    assert any(text.startswith(message) for text in result["errors"][field]), result["errors"][field]
    assert not Response.objects.exists() and not Respondent.objects.exists() and not Case.objects.exists()


def test_several_problems_are_all_reported_at_once(post, routes):
    [result] = post(item(metric="xyz", score="9", url="ftp://x")).json()["results"]
    assert set(result["errors"]) == {"metric", "score", "url"}


def test_an_item_that_is_not_an_object_is_invalid_not_a_crash(post, routes):
    results = post({"responses": [item(1), 42, None]}).json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "invalid"]
    assert results[1]["id"] is None and "response" in results[1]["errors"]


@pytest.mark.parametrize(
    "changes",
    [
        {"answered_at": "2026-11-20T10:15:00Z"},
        {"answered_at": "2026-11-20T12:15:00+02:00"},
        {"metric": "ces", "score": 1},
        {"metric": "csat", "score": 5},
        {"respondent": {**PERSON, "country": "lv"}},
        {"respondent": None},
        {"comment": "Payslips <b>slow</b>\nsecond line — ļoti lēni"},
        {"locale": "en_GB", "channel": "mobile", "url": None, "product": None},
    ],
)
def test_good_variants_are_accepted(post, routes, changes):
    [result] = post(item(**changes)).json()["results"]
    assert result["status"] == "created", result


def test_text_is_kept_exactly_as_written(post, routes):
    comment = "Payslips <script>x</script> & \"quotes\"\nline two — ļoti lēni"
    post(item(comment=comment))
    assert Response.objects.get().comment == comment
