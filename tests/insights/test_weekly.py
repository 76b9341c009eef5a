"""The Monday figures e-mail: only for managers who asked, their teams only, numbers and links only."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from casework.insights.weekly import last_week, send_weekly_figures
from casework.scheduling.scheduler import registered_jobs
from casework.teams.models import StaffPreference

from .conftest import RIGA

pytestmark = pytest.mark.django_db
MONDAY = datetime.datetime(2025, 11, 17, 7, 0, tzinfo=RIGA)


@pytest.fixture
def opted_in(maija, make_user, accounting):
    from casework.teams.membership import add_member

    maija.email = "maija@example.com"
    maija.save()
    StaffPreference.objects.create(user=maija, weekly_figures=True)
    peter = make_user("peter", email="peter@example.com")
    add_member(team=accounting, user=peter, role="manager")  # has not asked for it
    return maija


def test_the_week_just_ended_runs_monday_to_sunday():
    assert last_week(datetime.date(2025, 11, 17)).first_day == datetime.date(2025, 11, 10)
    assert last_week(datetime.date(2025, 11, 19)).last_day == datetime.date(2025, 11, 16)


def test_a_manager_who_opted_in_gets_her_teams_figures_once(opted_in, routes, payroll, accounting, case_at, answer):
    person = case_at(team=payroll, opened=datetime.datetime(2025, 11, 12, 9, tzinfo=RIGA), score=2).respondent
    person.name = "Anna Bērziņa"
    person.save()
    answer(10, when=datetime.datetime(2025, 11, 13, 9, tzinfo=RIGA), comment="Secret words")
    case_at(team=accounting, opened=datetime.datetime(2025, 11, 12, 9, tzinfo=RIGA))
    assert send_weekly_figures(now=MONDAY) == 1
    (message,) = mail.outbox
    assert message.to == ["maija@example.com"]
    assert "figures for the week from" in message.subject
    assert "NPS: 0 · 2 answers" in message.body  # one detractor and one promoter
    assert "Cases opened: 1" in message.body  # Payroll's case, not Accounting's
    assert "period=custom&start=2025-11-10&end=2025-11-16" in message.body
    assert "Anna" not in message.body and "Secret words" not in message.body and "Too slow" not in message.body
    assert send_weekly_figures(now=MONDAY) == 0


def test_it_is_a_periodic_job_on_monday_mornings():
    job = next(job for job in registered_jobs() if job.path == "casework.insights.weekly.send_weekly_figures")
    assert job.next_after(datetime.datetime(2025, 11, 14, 12, tzinfo=RIGA)) == MONDAY.astimezone(datetime.UTC)
    assert settings.CASEWORK_PERIODIC_JOBS[job.name][0] == "0 7 * * 1"
