"""Property-based tests (hypothesis) of the ingestion validator, the API's single and batch
endpoints, and the CSV reader: whatever comes in is either stored as a valid response or answered
with a field error (a CSV file that cannot be read at all: a clear file error) — never a 500 or an
exception. Example counts come from the "casework" profile in tests/conftest.py (modest, so the suite
stays fast; HYPOTHESIS_PROFILE=thorough runs many more)."""

import datetime
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.feedback.metrics import SCORE_RANGES
from casework.feedback.models import Response
from casework.intake.csv_import import COLUMNS, CsvFileError, import_csv
from casework.intake.validation import ITEM_FIELDS, RESPONDENT_FIELDS, validate_item

pytestmark = pytest.mark.django_db
API = "/api/v1/responses"
# Fixtures (a source, a token) are the same for every example; each example's writes are what is tested.
DB_SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text with what breaks programs: NUL and other controls, lone surrogates, right-to-left overrides,
# line breaks, markup, very long runs.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from("\x00\r\n\t\u202e\u2066\u2028\ud800\udfff<>\"'=@+-{}%_\\ aĀ漢🙂"), max_size=20),
    st.sampled_from(["", " ", "0", "-1", "1e3", "NaN", "null", "' OR 1=1 --", "=cmd|' /C calc'!A0", "x" * 5000]),
)
json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True), hostile_text
)
any_json = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4), max_leaves=12)


def _moment(offset_minutes):
    return (datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=offset_minutes)).isoformat()


# Values near the valid ones, so that many examples get far into validation and storage.
plausible = {
    "id": st.one_of(st.text(min_size=1, max_size=12), hostile_text),
    "metric": st.one_of(st.sampled_from(sorted(SCORE_RANGES)), json_scalar),
    "score": st.one_of(st.integers(min_value=-2, max_value=12), json_scalar),
    "comment": hostile_text,
    "answered_at": st.one_of(
        st.integers(min_value=-10**6, max_value=60).map(_moment), hostile_text,
        st.datetimes().map(lambda moment: moment.isoformat()),
        st.builds(
            lambda moment, minutes: moment.replace(tzinfo=datetime.timezone(datetime.timedelta(minutes=minutes))).isoformat(),
            st.datetimes(), st.integers(min_value=-23 * 60, max_value=23 * 60),
        ),
    ),
    "channel": st.one_of(st.sampled_from(["web", "mobile", "email", "link"]), json_scalar),
    "product": hostile_text,
    "url": st.one_of(st.sampled_from(["https://app.example.com/a", "javascript:alert(1)", "http://[::1", "https://x"]), hostile_text),
    "locale": st.one_of(st.sampled_from(["lv", "en-GB", "lv_LV", "xx-YYYYYYYYY"]), hostile_text),
}
respondent = st.fixed_dictionaries({}, optional={
    "id": hostile_text,
    "email": st.one_of(st.emails(), hostile_text, st.sampled_from(['"<x>"@example.com', "a@bücher.example", "a@b"])),
    "name": hostile_text,
    "company": hostile_text,
    "country": st.one_of(st.sampled_from(["LV", "lv", "ZZ", "GB"]), hostile_text),
    **{extra: json_scalar for extra in ("phone",)},
})


@st.composite
def nearly_valid(draw):
    """A valid item with a few of its values replaced: most are stored, the rest refused by one field."""
    number = draw(st.integers(min_value=0, max_value=10**6))
    raw = {
        "id": f"r-{number}", "metric": "nps", "score": draw(st.integers(0, 10)), "answered_at": _moment(5),
        "comment": draw(hostile_text), "respondent": {"id": f"u-{number}", "email": f"p{number}@example.com", "name": draw(hostile_text)},
    }
    for name in draw(st.lists(st.sampled_from(sorted(plausible)), max_size=2, unique=True)):
        raw[name] = draw(plausible[name])
    return raw


item = st.one_of(
    nearly_valid(),
    st.fixed_dictionaries({}, optional={**plausible, "respondent": st.one_of(respondent, json_scalar), "extra": json_scalar}),
    any_json,
)


@given(raw=item)
def test_the_validator_answers_an_item_or_field_errors(raw):
    cleaned, errors = validate_item(raw)
    if cleaned is None:
        assert errors and all(isinstance(field, str) and messages and all(isinstance(m, str) for m in messages) for field, messages in errors.items())
    else:
        assert errors == {}
        low, high = SCORE_RANGES[cleaned.metric]
        assert low <= cleaned.score <= high and cleaned.external_id and cleaned.answered_at.tzinfo is not None
        assert set(raw) <= ITEM_FIELDS and set(raw.get("respondent") or {}) <= RESPONDENT_FIELDS


def _assert_stored_validly(source, result):
    assert result["status"] in ("created", "duplicate", "invalid"), result
    if result["status"] == "invalid":
        assert result["errors"], result
        return
    stored = Response.objects.get(source=source, external_id=result["id"].strip())
    stored.full_clean(exclude=["respondent", "source"])
    low, high = SCORE_RANGES[stored.metric]
    assert low <= stored.score <= high


@DB_SETTINGS
@given(body=st.one_of(item, st.fixed_dictionaries({"responses": st.lists(item, max_size=5)}), any_json))
def test_the_api_stores_valid_responses_or_names_the_field(client, source, token, body):
    response = client.generic("POST", API, json.dumps(body), content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (200, 400), response.content
    answer = response.json()
    if response.status_code == 400:
        assert answer["error"]
        return
    items = body["responses"] if isinstance(body, dict) and "responses" in body else [body]
    assert len(answer["results"]) == len(items)
    for result in answer["results"]:
        _assert_stored_validly(source, result)


cell = st.one_of(hostile_text.filter(lambda text: "\x00" not in text), st.sampled_from(["3", "nps", "ces", "csat", _moment(5), "Payroll", "LV"]))


@st.composite
def csv_files(draw):
    header = draw(st.one_of(
        st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=len(COLUMNS), unique=True),
        st.lists(st.sampled_from([*COLUMNS, "extra", "", "ID"]), min_size=1, max_size=6),
    ))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(header) + 1), max_size=6))
    out = io.StringIO()
    import csv

    csv.writer(out).writerows([header, *rows])
    data = out.getvalue().encode("utf-8", "surrogatepass")
    return draw(st.one_of(st.just(data), st.binary(max_size=200).map(lambda junk: data + junk), st.just(b"\xef\xbb\xbf" + data)))


@DB_SETTINGS
@given(data=csv_files())
def test_the_csv_reader_imports_rows_or_reports_each_problem(source, data):
    try:
        summary = import_csv(source, io.BytesIO(data))
    except CsvFileError as error:
        assert str(error)  # the whole file refused, with the reason
        return
    assert summary.rows == summary.created + summary.duplicates + summary.invalid
    assert summary.problem_count >= summary.invalid
    for problem in summary.problems:
        assert problem.row >= 2 and problem.field and problem.message
