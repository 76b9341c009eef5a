"""Answers that arrive through the API (one and in batches), CSV and a later delivery are found by
search at once: intake keeps the search index in step with what it stores."""

import io

import pytest

from casework.cases import search
from casework.cases.models import Case
from casework.intake.csv_import import import_csv
from casework.intake.ingestion import ingest

from .conftest import item

pytestmark = pytest.mark.django_db


def found(query):
    return set(Case.objects.filter(search.matching(query)).values_list("response__external_id", flat=True))


def test_a_batch_of_answers_is_searchable(routes, source):
    ingest(source, [item(1, comment="Rēķins nav pareizs"), item(2, respondent={"email": "jurgis@veikals.lv", "name": "Jurģis Ērglis"})])
    assert found("rekins") == {"r-1"}
    assert found("erglis veikals") == {"r-2"}
    assert found("jurgis@veikals.lv") == {"r-2"}


def test_a_later_answer_with_a_new_name_renames_the_persons_other_cases(routes, source):
    ingest(source, [item(1, product="Payroll")])
    ingest(source, [item(2, product="Accounting", respondent={"id": "u-1", "email": "anna1@example.com", "name": "Anna Ozola"})])
    assert found("ozola") == {"r-1", "r-2"}


def test_one_at_a_time_path_keeps_the_index_too(routes, source, monkeypatch):
    from casework.intake import ingestion

    def conflict(*args, **kwargs):
        from django.db import IntegrityError

        raise IntegrityError("as if another request stored it first")

    monkeypatch.setattr(ingestion, "_ingest_batch", conflict)
    ingest(source, [item(5, comment="Nepareizs aprēķins")])
    assert found("apreķins") == {"r-5"}


def test_csv_rows_are_searchable(routes, source):
    header = "id,metric,score,comment,answered_at,product,respondent_email,respondent_name"
    rows = [f"c-{n},nps,2,Lēna lapa {word},2026-11-20T10:00:00Z,Payroll,p{n}@csv.example,Ilze Liepiņa" for n, word in enumerate(["alfa", "bēta", "gamma"])]
    import_csv(source, io.BytesIO("\n".join([header, *rows]).encode()))
    assert found("liepina") == {"c-0", "c-1", "c-2"}
    assert found("lena lapa beta") == {"c-1"}
