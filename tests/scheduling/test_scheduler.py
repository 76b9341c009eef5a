"""The worker's periodic jobs: due jobs run once, each by one worker at a time, on the cron schedule."""

import datetime
import threading
import time

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from casework.cases.models import Case, Event
from casework.scheduling import scheduler
from casework.scheduling.models import ScheduledJob
from tests.threads import run_together

pytestmark = pytest.mark.django_db

CALLS = []


def record_call():
    CALLS.append(timezone.now())
    return {"sent": 2}


def fail():
    raise RuntimeError("SMTP server on fire")


def slow_job():
    CALLS.append("start")
    time.sleep(0.5)
    CALLS.append("end")


@pytest.fixture
def jobs(settings):
    CALLS.clear()
    settings.TIME_ZONE = "Europe/Riga"
    settings.CASEWORK_PERIODIC_JOBS = {"count": ("*/5 * * * *", "tests.scheduling.test_scheduler.record_call")}
    return settings


def at(text):
    return datetime.datetime.fromisoformat(text)


def test_a_job_runs_when_due_and_is_rescheduled_on_its_cron_line(jobs):
    assert scheduler.run_due_jobs(worker_id="a", now=at("2026-11-20T10:03:10+02:00")) == {}  # first sight: scheduled, not run
    state = ScheduledJob.objects.get(name="count")
    assert state.next_run_at == at("2026-11-20T10:05:00+02:00")
    assert scheduler.run_due_jobs(worker_id="a", now=at("2026-11-20T10:04:59+02:00")) == {}
    assert scheduler.run_due_jobs(worker_id="a", now=at("2026-11-20T10:05:00+02:00")) == {"count": "{'sent': 2}"}
    assert len(CALLS) == 1
    state.refresh_from_db()
    assert state.last_outcome == "{'sent': 2}" and state.locked_until is None and state.last_finished_at
    assert state.next_run_at > timezone.now()  # the next tick after the run finished


def test_runs_missed_while_no_worker_was_up_happen_once(jobs):
    ScheduledJob.objects.create(name="count", schedule="*/5 * * * *", next_run_at=timezone.now() - datetime.timedelta(hours=5))
    scheduler.run_due_jobs(worker_id="a")
    scheduler.run_due_jobs(worker_id="a")
    assert len(CALLS) == 1


def test_a_job_held_by_another_worker_is_skipped_until_its_lease_runs_out(jobs):
    now = timezone.now()
    ScheduledJob.objects.create(
        name="count", schedule="*/5 * * * *", next_run_at=now - datetime.timedelta(minutes=1),
        locked_until=now + datetime.timedelta(minutes=1), locked_by="other",
    )
    assert scheduler.run_due_jobs(worker_id="me", now=now) == {}
    assert CALLS == []
    # The other worker died: once its lease has run out, this one takes the job over.
    assert scheduler.run_due_jobs(worker_id="me", now=now + datetime.timedelta(minutes=2)) == {"count": "{'sent': 2}"}


def test_a_failing_job_is_recorded_and_the_others_still_run(jobs):
    jobs.CASEWORK_PERIODIC_JOBS = {
        "broken": ("* * * * *", "tests.scheduling.test_scheduler.fail"),
        "count": ("* * * * *", "tests.scheduling.test_scheduler.record_call"),
    }
    past = timezone.now() - datetime.timedelta(minutes=1)
    for name in ("broken", "count"):
        ScheduledJob.objects.create(name=name, schedule="* * * * *", next_run_at=past)
    assert scheduler.run_due_jobs(worker_id="a") == {"broken": "failed", "count": "{'sent': 2}"}
    broken = ScheduledJob.objects.get(name="broken")
    assert broken.last_error == "RuntimeError: SMTP server on fire" and broken.locked_until is None
    assert broken.next_run_at > timezone.now()


def test_an_edited_schedule_takes_effect(jobs):
    ScheduledJob.objects.create(name="count", schedule="0 3 * * *", next_run_at=timezone.now() + datetime.timedelta(hours=20))
    scheduler.run_due_jobs(worker_id="a", now=at("2026-11-20T10:03:00+02:00"))
    state = ScheduledJob.objects.get(name="count")
    assert (state.schedule, state.next_run_at) == ("*/5 * * * *", at("2026-11-20T10:05:00+02:00"))


def test_the_schedule_is_read_in_the_configured_time_zone(jobs):
    jobs.TIME_ZONE = "America/New_York"
    jobs.CASEWORK_PERIODIC_JOBS = {"count": ("0 7 * * 1-5", "tests.scheduling.test_scheduler.record_call")}
    scheduler.run_due_jobs(worker_id="a", now=at("2026-11-20T10:00:00+00:00"))  # a Friday, 05:00 in New York
    assert ScheduledJob.objects.get().next_run_at == at("2026-11-20T07:00:00-05:00")


def test_a_bad_registry_entry_fails_the_system_check(settings):
    settings.CASEWORK_PERIODIC_JOBS = {
        "typo": ("*/5 * * *", "casework.cases.escalation.escalate_overdue"),
        "moved": ("*/5 * * * *", "casework.cases.escalation.no_such_function"),
    }
    ids = {error.id for error in run_checks()}
    assert {"scheduling.E002", "scheduling.E003"} <= ids


def test_the_shipped_registry_is_valid_and_holds_the_periodic_work(settings):
    assert [error for error in run_checks() if error.id.startswith("scheduling.")] == []
    paths = {path for _schedule, path in settings.CASEWORK_PERIODIC_JOBS.values()}
    assert {
        "casework.cases.escalation.escalate_overdue",
        "casework.outreach.sending.send_due",
        "casework.outreach.staffmail.send_assignment_emails",
        "casework.outreach.staffmail.send_overdue_digests",
    } <= paths


def test_the_worker_command_escalates_an_overdue_case(payroll, make_case, maija, capsys):
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(first_contact_due_at=timezone.now() - datetime.timedelta(hours=2))
    ScheduledJob.objects.create(name="escalate", schedule="*/5 * * * *", next_run_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("worker", "--once")
    assert "escalate: 1" in capsys.readouterr().out
    assert case.events.filter(kind=Event.Kind.ESCALATED).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database with real concurrent writers")
def test_two_workers_at_once_run_a_job_once(jobs):
    jobs.CASEWORK_PERIODIC_JOBS = {"slow": ("* * * * *", "tests.scheduling.test_scheduler.slow_job")}
    ScheduledJob.objects.create(name="slow", schedule="* * * * *", next_run_at=timezone.now() - datetime.timedelta(seconds=1))
    results = run_together([lambda: scheduler.run_due_jobs(worker_id="a"), lambda: scheduler.run_due_jobs(worker_id="b")])
    assert CALLS == ["start", "end"]
    assert sorted(len(result) for result in results) == [0, 1]

