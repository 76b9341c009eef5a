import datetime
from zoneinfo import ZoneInfo

import pytest

from casework.intake.duetimes import add_working_hours, due_at
from casework.teams.models import Team

RIGA = ZoneInfo("Europe/Riga")
NINE, FIVE = datetime.time(9), datetime.time(17)


def riga(*args):
    return datetime.datetime(*args, tzinfo=RIGA)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (riga(2026, 11, 23, 10), 4, riga(2026, 11, 23, 14)),  # Monday, within the day
        (riga(2026, 11, 23, 15), 4, riga(2026, 11, 24, 11)),  # runs over into Tuesday
        (riga(2026, 11, 23, 7), 1, riga(2026, 11, 23, 10)),  # before opening: counts from 9:00
        (riga(2026, 11, 23, 20), 2, riga(2026, 11, 24, 11)),  # after closing: counts from next morning
        (riga(2026, 11, 27, 16), 2, riga(2026, 11, 30, 10)),  # Friday afternoon: into Monday
        (riga(2026, 11, 28, 12), 8, riga(2026, 11, 30, 17)),  # Saturday: a whole Monday
        (riga(2026, 11, 23, 9), 48, riga(2026, 11, 30, 17)),  # six working days: Mon–Fri and Monday again
    ],
)
def test_working_hours_skip_nights_and_weekends(start, hours, expected):
    assert add_working_hours(start, hours, tz=RIGA, day_start=NINE, day_end=FIVE) == expected


def test_the_setting_chooses_the_clock(settings):
    team = Team(name="T", time_zone="Europe/Riga", work_starts=NINE, work_ends=FIVE)
    friday_evening = riga(2026, 11, 27, 18)
    settings.CASEWORK_DUE_CLOCK = "calendar"
    assert due_at(friday_evening, 4, team=team) == riga(2026, 11, 27, 22)
    settings.CASEWORK_DUE_CLOCK = "business"
    assert due_at(friday_evening, 4, team=team) == riga(2026, 11, 30, 13)


@pytest.mark.django_db
def test_overdue_cases_are_one_indexed_query(payroll, make_case, django_assert_num_queries):
    from django.db import connection
    from django.utils import timezone

    from casework.cases.models import Case

    overdue = make_case(team=payroll)
    Case.objects.filter(pk=overdue.pk).update(first_contact_due_at=timezone.now() - datetime.timedelta(hours=1))
    make_case(team=payroll)
    query = Case.objects.first_contact_overdue(timezone.now()).order_by("first_contact_due_at")
    with django_assert_num_queries(1):
        assert list(query) == [overdue]
    plan = query.explain()
    if connection.vendor == "sqlite":
        assert "case_first_contact_due_idx" in plan
