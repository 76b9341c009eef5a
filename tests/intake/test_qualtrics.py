"""Qualtrics CSV exports through the CSV import: three header rows, ImportIds, time zones, legacy files."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command

from casework.cases.models import Case
from casework.feedback.models import FieldMapping, Response, Source
from casework.intake.csv_import import import_csv, preview

pytestmark = pytest.mark.django_db

META = [
    ("StartDate", "Start Date", {"ImportId": "startDate", "timeZone": "America/New_York"}),
    ("EndDate", "End Date", {"ImportId": "endDate", "timeZone": "America/New_York"}),
    ("Status", "Response Type", {"ImportId": "status"}),
    ("Finished", "Finished", {"ImportId": "finished"}),
    ("RecordedDate", "Recorded Date", {"ImportId": "recordedDate", "timeZone": "America/New_York"}),
    ("ResponseId", "Response ID", {"ImportId": "_recordId"}),
    ("RecipientLastName", "Recipient Last Name", {"ImportId": "recipientLastName"}),
    ("RecipientFirstName", "Recipient First Name", {"ImportId": "recipientFirstName"}),
    ("RecipientEmail", "Recipient Email", {"ImportId": "recipientEmail"}),
    ("ExternalReference", "External Data Reference", {"ImportId": "externalDataReference"}),
    ("DistributionChannel", "Distribution Channel", {"ImportId": "distributionChannel"}),
    ("UserLanguage", "User Language", {"ImportId": "userLanguage"}),
]
# Column names are editable in Qualtrics; these were renamed, the ImportIds stay.
QUESTIONS = [
    ("Recommend", "How likely are you to recommend us?", {"ImportId": "QID1"}),
    ("Recommend_NPS_GROUP", "How likely are you to recommend us? - Group", {"ImportId": "QID1_NPS_GROUP"}),
    ("Why", "Why did you give this score?", {"ImportId": "QID2_TEXT"}),
    ("Product", "Which product do you use?", {"ImportId": "QID3"}),
    ("Satisfied", "How satisfied are you with support?", {"ImportId": "QID4"}),
]


def export(rows, *, legacy=False):
    columns = META + QUESTIONS
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _text, _id in columns])
    writer.writerow([text for _name, text, _id in columns])
    if not legacy:
        writer.writerow([json.dumps(import_id, separators=(",", ":")) for _n, _t, import_id in columns])
    for row in rows:
        writer.writerow(row)
    return io.BytesIO(("\ufeff" + out.getvalue()).encode())


def row(response_id, nps, why="", product="Payroll", channel="anonymous", email="", recorded="2026-11-20 10:15:00", satisfied=""):
    group = "Detractor" if nps != "" and int(nps) <= 6 else "Promoter"
    return ["2026-11-20 10:10:00", recorded, "IP Address", "True", recorded, response_id, "Bērziņa", "Anna", email,
            "u-1", channel, "LV", nps, group, why, product, satisfied]


@pytest.fixture
def qualtrics(db, routes):
    source = Source.objects.create(name="Qualtrics", slug="qualtrics", kind="qualtrics_csv", time_zone="Europe/Riga")
    for key, target, metric in [("QID1", "score", "nps"), ("QID2_TEXT", "comment", ""), ("QID3", "product", "")]:
        FieldMapping.objects.create(source=source, key=key, target=target, metric=metric)
    return source


def test_an_export_with_several_questions_is_matched_on_import_ids(qualtrics):
    rows = [
        row("R_1", "3", "Payslips are slow", email="anna@example.com"),
        row("R_2", "10", "", product="Accounting"),
        row("R_3", "2", "Preview only", channel="preview"),
        row("R_4", "", "No score"),
    ]
    summary = import_csv(qualtrics, export(rows))
    assert (summary.rows, summary.created, summary.invalid) == (3, 2, 1)
    assert summary.problems[0].row == 7 and "not been answered" in summary.problems[0].message
    first = Response.objects.get(external_id="R_1")
    assert (first.metric, first.score, first.comment, first.product, first.locale) == ("nps", 3, "Payslips are slow", "Payroll", "lv")
    # 10:15 in New York (EST, UTC−5) as row 3 says, not the source's or the server's zone.
    assert first.answered_at == datetime.datetime(2026, 11, 20, 15, 15, tzinfo=datetime.UTC)
    assert first.respondent.email == "anna@example.com" and first.respondent.name == "Anna Bērziņa"
    assert first.respondent.identities.get().external_id == "u-1"
    assert not Response.objects.filter(external_id="R_3").exists()
    assert Case.objects.get().response == first


def test_reimporting_the_export_creates_nothing(qualtrics):
    import_csv(qualtrics, export([row("R_1", "3")]))
    summary = import_csv(qualtrics, export([row("R_1", "3")]))
    assert (summary.created, summary.duplicates) == (0, 1)


def test_a_legacy_two_row_export_matches_column_names_in_the_sources_time_zone(db, routes):
    source = Source.objects.create(name="Old Qualtrics", slug="old-qualtrics", kind="qualtrics_csv", time_zone="Europe/Riga")
    FieldMapping.objects.create(source=source, key="Recommend", target="score", metric="nps")
    FieldMapping.objects.create(source=source, key="Satisfied", target="score", metric="csat")
    summary = import_csv(source, export([row("R_9", "", satisfied="2")], legacy=True))
    assert summary.created == 1
    response = Response.objects.get()
    assert (response.metric, response.score) == ("csat", 2)
    assert response.answered_at == datetime.datetime(2026, 11, 20, 8, 15, tzinfo=datetime.UTC)  # Riga is UTC+2


def test_the_upload_preview_reads_the_export_as_qualtrics(qualtrics):
    [(number, item)] = preview(export([row("R_1", "3", "Slow")]), source=qualtrics)
    assert number == 4 and (item["id"], item["score"], item["comment"]) == ("R_1", 3, "Slow")


def test_the_import_command_takes_a_qualtrics_export(qualtrics, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(export([row("R_1", "3"), row("R_2", "9")]).getvalue())
    out = io.StringIO()
    call_command("import_responses", str(path), "--source", "qualtrics", "--quiet-progress", stdout=out)
    assert "2 created" in out.getvalue()
