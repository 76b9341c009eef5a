"""Each number leads to exactly the cases or answers it counts; CSV exports are safe to open."""

import csv
import io
import re

import pytest
from django.urls import reverse

from casework.cases.models import Tag
from casework.insights.exports import csv_lines, neutralise

from .conftest import at, figures

pytestmark = pytest.mark.django_db
PARAMS = {"period": "custom", "start": "2025-11-03", "end": "2025-11-16"}


@pytest.fixture
def story(payroll, routes, case_at, notify, answer):
    slow = Tag.objects.create(name="slow payslips")
    emailed = case_at(team=payroll, score=2, tags=[slow], status="closed", closed_at=at(8), first_contacted_at=at(6))
    notify(emailed, "sent", when=at(8))
    case_at(team=payroll, score=1, metric="csat", tags=[slow], status="closed", closed_at=at(9), first_contact_due_at=at(6))
    failed = case_at(team=payroll, score=0, first_contact_due_at=at(7), first_contacted_at=at(6))
    notify(failed, "failed", when=at(9))
    case_at(team=payroll, score=9, opened=at(30, month=10))
    answer(10)
    answer(8, channel="web")


def _count(page: str, noun: str) -> int:
    return int(re.search(rf'class="count">\s*(\d+) {noun}', page)[1])


def test_each_count_links_to_exactly_the_cases_or_answers_it_counts(client, maija, story):
    client.force_login(maija)
    checked = 0
    for table in figures(maija).values():
        for row in table.rows:
            for column in table.columns:
                number, link = row.get(column.key), row.get(f"{column.key}_link")
                if not link or not isinstance(number, int) or column.key in {"value"} and row["key"].endswith(("rate", "met")):
                    continue
                page = client.get(link).text
                noun = "answers?" if "/dashboard/responses/" in link else "cases?"
                assert _count(page, noun) == number, (table.slug, row.get("key"), column.key, link)
                checked += 1
    assert checked >= 15


def test_csv_cells_that_would_run_as_formulas_are_neutralised():
    assert [neutralise(text) for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", "a=b")] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "plain", "a=b"
    ]
    assert neutralise(-12.5) == -12.5  # a number stays a number


def test_the_case_export_keeps_latvian_letters_and_defuses_comments(client, maija, payroll, make_case):
    case = make_case(team=payroll, comment='=HYPERLINK("http://evil.example","Klikšķini")')
    case.respondent.name = "Anna Bērziņa"
    case.respondent.save()
    client.force_login(maija)
    answer = client.get(reverse("insights:case-export"))
    assert answer["Content-Type"] == "text/csv; charset=utf-8" and "attachment" in answer["Content-Disposition"]
    raw = b"".join(answer.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark spreadsheet programs look for
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "Case" and rows[1][0] == case.reference
    assert "Anna Bērziņa" in rows[1]
    assert "'=HYPERLINK(\"http://evil.example\",\"Klikšķini\")" in rows[1]


def test_a_restricted_or_erased_persons_words_stay_out_of_the_export(client, maija, payroll, make_case):
    from django.utils import timezone

    case = make_case(team=payroll, comment="Secret complaint")
    case.respondent.restricted_at = timezone.now()
    case.respondent.save()
    client.force_login(maija)
    text = client.get(reverse("insights:case-export")).getvalue().decode("utf-8-sig")
    assert case.reference in text and "Secret complaint" not in text and case.respondent.name not in text


def test_a_dashboard_table_as_csv(client, maija, story):
    client.force_login(maija)
    answer = client.get(reverse("insights:export"), {"table": "tags", **PARAMS})
    rows = list(csv.reader(io.StringIO(answer.getvalue().decode("utf-8-sig"))))
    assert rows == [["Root-cause tag", "Cases", "Share %", "Previous period", "Difference"], ["slow payslips", "2", "66.7", "0", "2"]]
    assert client.get(reverse("insights:export"), {"table": "nonsense", **PARAMS}).status_code == 404
    assert client.get(reverse("insights:export"), {"table": "tags", **{"period": "custom"}}).status_code == 400


def test_export_streams_rows_one_by_one():
    lines = csv_lines(["a"], iter([["=x"], [1]]))
    assert next(lines) == "\ufeffa\r\n" and next(lines) == "'=x\r\n" and next(lines) == "1\r\n"
