"""Retention: data is anonymised on the third anniversary (in TIME_ZONE) of the day it was received,
answer by answer, resumably, and nothing else is touched."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.cases import workflow
from casework.cases.models import Case, Event
from casework.feedback.models import Respondent, RespondentIdentity, Response
from casework.privacy import retention, rights
from casework.privacy.retention import apply_retention, last_aged_day, retention_cutoff

pytestmark = pytest.mark.django_db

D = datetime.date


def local(text, zone="Europe/Riga"):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


@pytest.fixture(autouse=True)
def riga(settings):
    settings.TIME_ZONE = "Europe/Riga"
    settings.CASEWORK_RETENTION_DAYS = None


def answer(make_response, received, **fields):
    return make_response(received_at=received, comment=f"said on {received.isoformat()}", page_url="https://app.example.com/x", **fields)


@pytest.mark.parametrize(
    ("today", "last"),
    [
        (D(2026, 11, 20), D(2023, 11, 20)),
        (D(2027, 2, 28), D(2024, 2, 29)),  # 29 February 2024 has its third anniversary on 28 February 2027
        (D(2027, 3, 1), D(2024, 3, 1)),
        (D(2028, 2, 29), D(2025, 2, 28)),
        (D(2028, 2, 28), D(2025, 2, 28)),
        (D(2027, 2, 27), D(2024, 2, 27)),
    ],
)
def test_three_calendar_years(today, last):
    assert last_aged_day(today) == last


def test_a_number_of_days_instead(settings):
    settings.CASEWORK_RETENTION_DAYS = 30
    assert last_aged_day(D(2026, 3, 1)) == D(2026, 1, 30)


def test_one_day_over_is_anonymised_one_day_under_is_kept(make_response):
    over = answer(make_response, local("2023-11-19T12:00"))
    last_minute = answer(make_response, local("2023-11-20T23:59"))
    under = answer(make_response, local("2023-11-21T00:00"))
    report = apply_retention(now=local("2026-11-20T02:30"))
    assert report.responses == 2
    kept = {r.pk: r.comment for r in Response.objects.all()}
    assert kept[over.pk] == "" and kept[last_minute.pk] == "" and kept[under.pk] == under.comment
    assert Response.objects.get(pk=under.pk).page_url == "https://app.example.com/x"
    assert Response.objects.get(pk=over.pk).score == over.score and Response.objects.get(pk=over.pk).anonymised_at


def test_29_february(make_response):
    leap = answer(make_response, local("2024-02-29T12:00"))
    march = answer(make_response, local("2024-03-01T00:30"))
    apply_retention(now=local("2027-02-27T12:00"))
    assert Response.objects.get(pk=leap.pk).comment  # not three years yet
    apply_retention(now=local("2027-02-28T00:10"))
    assert Response.objects.get(pk=leap.pk).comment == "" and Response.objects.get(pk=march.pk).comment
    apply_retention(now=local("2027-03-01T00:10"))
    assert Response.objects.get(pk=march.pk).comment == ""


@pytest.mark.parametrize(
    ("zone", "aged", "kept"),
    [("Pacific/Kiritimati", "2023-11-20T23:30", "2023-11-21T00:30"), ("Pacific/Pago_Pago", "2023-11-20T14:00", "2023-11-21T00:30")],
)
def test_days_are_the_days_of_the_configured_time_zone(settings, make_response, zone, aged, kept):
    settings.TIME_ZONE = zone  # UTC+14 and UTC-11
    aged_answer = answer(make_response, local(aged, zone))
    kept_answer = answer(make_response, local(kept, zone))
    run = local("2026-11-20T00:45", zone)
    # Read in UTC, the answer or the run falls on another day: only local days give this result.
    assert (aged_answer.received_at.astimezone(datetime.UTC).date(), run.astimezone(datetime.UTC).date()) != (D(2023, 11, 20), D(2026, 11, 20))
    assert retention_cutoff(run) == local("2023-11-21T00:00", zone)
    apply_retention(now=run)
    assert Response.objects.get(pk=aged_answer.pk).comment == ""
    assert Response.objects.get(pk=kept_answer.pk).comment


def test_a_person_with_answers_on_both_sides_keeps_only_the_newer_ones(make_case, make_response, payroll, janis):
    old_case = make_case(team=payroll, received_at=local("2022-05-01T10:00"), comment="old complaint")
    person = old_case.respondent
    workflow.add_note(case=old_case, actor=janis, text=f"Called {person.name} about it")
    new_case = make_case(team=payroll, product="Payroll mobile", respondent=person, received_at=local("2026-10-01T10:00"), comment="new praise")
    report = apply_retention(now=local("2026-11-20T03:00"))
    old_case.refresh_from_db(), new_case.refresh_from_db()
    assert (old_case.status, old_case.close_reason) == ("closed", "retention") and old_case.anonymised_at
    assert Event.objects.get(case=old_case, kind="status", data__reason="retention").data["to"] == "closed"
    assert not Event.objects.filter(case=old_case, data__text__isnull=False).exists()
    assert Response.objects.get(pk=old_case.response_id).comment == ""
    assert new_case.status == "new" and not new_case.anonymised_at
    assert Response.objects.get(pk=new_case.response_id).comment == "new praise"
    person.refresh_from_db()
    assert person.email and person.name and not person.anonymised_at and RespondentIdentity.objects.filter(respondent=person).exists()
    assert (report.cases_closed, report.cases_anonymised, report.respondents_anonymised) == (1, 1, 0)


def test_a_case_that_a_recent_answer_joined_stays_whole(make_case, make_response, payroll):
    from casework.cases.opening import attach_response

    case = make_case(team=payroll, received_at=local("2022-05-01T10:00"), comment="old")
    attach_response(case=case, response=answer(make_response, local("2026-11-01T10:00"), respondent=case.respondent))
    apply_retention(now=local("2026-11-20T03:00"))
    case.refresh_from_db()
    assert case.status == "new" and not case.anonymised_at
    assert Response.objects.get(pk=case.response_id).comment == ""  # the old answer itself has aged out


def test_someone_whose_every_answer_aged_out_is_anonymised_and_can_come_back(make_case, payroll, api_ready):
    case = make_case(team=payroll, received_at=local("2022-05-01T10:00"))
    person = case.respondent
    email = person.email
    apply_retention(now=timezone.now())
    person.refresh_from_db()
    assert (person.email, person.name, person.search_key, person.anonymised_at is not None) == ("", "", "", True)
    assert person.country == "LV" and not RespondentIdentity.objects.filter(respondent=person).exists()
    assert not person.erased_at  # not an erasure: the person may answer again, and is then known again
    [result] = api_ready(email)
    assert result["status"] == "created" and "warnings" not in result
    assert Respondent.objects.get(email=email).pk != person.pk


@pytest.fixture
def api_ready(client, source):
    import json

    from casework.feedback.tokens import create_api_token

    token = create_api_token(source=source, label="t")[1]

    def post(email):
        item = {"id": "again-1", "metric": "nps", "score": 9, "answered_at": timezone.now().isoformat(),
                "respondent": {"email": email, "name": "Back Again"}}
        response = client.post("/api/v1/responses", json.dumps(item), content_type="application/json", headers={"Authorization": f"Bearer {token}"})
        return response.json()["results"]

    return post


def test_a_restricted_persons_data_is_kept(make_response, dace):
    old = answer(make_response, local("2022-01-01T10:00"))
    rights.restrict(respondent=old.respondent, actor=dace)
    report = apply_retention(now=timezone.now())
    assert report.responses == 0 and report.kept_restricted == 1
    assert Response.objects.get(pk=old.pk).comment


def test_running_twice_changes_nothing_the_second_time(make_case, payroll):
    for day in range(1, 6):
        make_case(team=payroll, product=f"P{day}", received_at=local(f"2022-05-0{day}T10:00"))
    first = apply_retention(now=timezone.now())
    events = Event.objects.count()
    second = apply_retention(now=timezone.now())
    assert first.responses == 5 and first.cases_closed == 5
    assert (second.responses, second.cases_closed, second.cases_anonymised, second.respondents_anonymised) == (0, 0, 0, 0)
    assert Event.objects.count() == events


def test_a_run_that_crashes_midway_finishes_on_the_next_run(make_case, payroll, monkeypatch):
    for day in range(1, 8):
        make_case(team=payroll, product=f"P{day}", received_at=local(f"2022-05-0{day}T10:00"))
    real = retention._anonymise_batch
    calls = []

    def crash_on_third(batch, **kwargs):
        calls.append(batch)
        real(batch, **kwargs)
        if len(calls) == 3:
            raise RuntimeError("power cut")

    monkeypatch.setattr(retention, "_anonymise_batch", crash_on_third)
    with pytest.raises(RuntimeError, match="power cut"):
        apply_retention(now=timezone.now(), batch_size=2)
    # Two batches committed; the third rolled back whole: no answer anonymised without its case.
    assert Response.objects.filter(anonymised_at__isnull=False).count() == 4
    assert Case.objects.filter(anonymised_at__isnull=False).count() == 4 == Case.objects.filter(status="closed").count()
    monkeypatch.setattr(retention, "_anonymise_batch", real)
    report = apply_retention(now=timezone.now(), batch_size=2)
    assert report.responses == 3
    assert not Response.objects.filter(anonymised_at__isnull=True).exists()
    assert Case.objects.filter(status="closed", close_reason="retention").count() == 7
    assert Event.objects.filter(kind="status", data__reason="retention").count() == 7  # each case closed once


def test_a_dry_run_counts_without_changing_anything(make_case, make_response, payroll, capsys):
    make_case(team=payroll, received_at=local("2022-05-01T10:00"))
    answer(make_response, local("2022-06-01T10:00"))
    answer(make_response, timezone.now())
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "would anonymise" in out and "responses: 2" in out and "cases closed: 1" in out and "respondents anonymised: 2" in out
    assert not Response.objects.filter(anonymised_at__isnull=False).exists() and not Case.objects.filter(status="closed").exists()
    call_command("apply_retention", "--batch-size", "1")
    out = capsys.readouterr().out
    assert "100.0%" in out and "anonymised data received before" in out and "responses: 2" in out


def test_old_import_reports_and_task_results_are_pruned(source, maija):
    from django_tasks_db.models import DBTaskResult

    from casework.intake.models import Import, ImportProblem

    old = Import.objects.create(source=source, uploaded_by=maija, file_name="old.csv", status="done")
    Import.objects.filter(pk=old.pk).update(created_at=local("2022-01-01T10:00"))
    ImportProblem.objects.create(csv_import=old, row=2, field="score", message="Must be a number.")
    recent = Import.objects.create(source=source, uploaded_by=maija, file_name="new.csv", status="done")
    ImportProblem.objects.create(csv_import=recent, row=2, field="score", message="Must be a number.")
    DBTaskResult.objects.create(
        status="SUCCESSFUL", args_kwargs={"args": [1], "kwargs": {}}, priority=0, task_path="x", queue_name="default",
        backend_name="default", run_after=timezone.now(), exception_class_path="", traceback="", finished_at=local("2022-01-01T10:00"),
    )
    from casework.intake.models import Delivery

    stale = Delivery.objects.create(source=source, delivery_id="old", received_at=local("2022-01-01T10:00"), status="failed", body=b'{"email": "x@example.com"}')
    fresh = Delivery.objects.create(source=source, delivery_id="new", received_at=timezone.now(), status="failed", body=b'{"email": "y@example.com"}')
    report = apply_retention(now=timezone.now())
    assert (report.import_problems_deleted, report.task_results_deleted, report.deliveries_emptied) == (1, 1, 1)
    assert list(ImportProblem.objects.values_list("csv_import", flat=True)) == [recent.pk]
    assert bytes(Delivery.objects.get(pk=stale.pk).body) == b"" and bytes(Delivery.objects.get(pk=fresh.pk).body) != b""


def test_the_worker_runs_retention_daily(settings):
    assert settings.CASEWORK_PERIODIC_JOBS["retention"] == ("30 2 * * *", "casework.privacy.retention.apply_retention")
