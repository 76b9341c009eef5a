import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from casework.cases.models import Case
from casework.feedback.models import Response
from casework.insights.figures import Selection
from casework.insights.periods import Period
from casework.insights.scope import scope_for
from casework.insights.tables import build
from casework.intake.models import Route
from casework.outreach.models import Notification

RIGA = ZoneInfo("Europe/Riga")
# A November fortnight well in the past, and the one before it for comparison.
PERIOD = Period(datetime.date(2025, 11, 3), datetime.date(2025, 11, 16))


def at(day: int, hour: int = 12, month: int = 11, year: int = 2025) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=RIGA)


@pytest.fixture
def routes(payroll, accounting):
    Route.objects.create(product="Payroll", team=payroll)
    Route.objects.create(product="Accounting", team=accounting)


@pytest.fixture
def answer(make_response):
    def make(score, *, metric="nps", when=None, product="Payroll", **extra):
        response = make_response(metric=metric, score=score, product=product, **extra)
        Response.objects.filter(pk=response.pk).update(answered_at=when or at(5))
        response.refresh_from_db()
        return response

    return make


@pytest.fixture
def case_at(make_case):
    """A case opened at `opened`, changed to the given fields as if time had passed."""

    def make(*, team, opened=None, score=3, metric="nps", tags=(), respondent=None, **fields):
        case = make_case(team=team, score=score, metric=metric, **(respondent or {}))
        Response.objects.filter(pk=case.response_id).update(answered_at=opened or at(5))
        Case.objects.filter(pk=case.pk).update(created_at=opened or at(5), **fields)
        case.refresh_from_db()
        for tag in tags:
            case.tags.add(tag)
        return case

    return make


@pytest.fixture
def notify():
    def make(case, status, *, when, reason=""):
        return Notification.objects.create(
            case=case,
            respondent=case.respondent,
            recipient="x@example.com",
            subject="We fixed it",
            body="…",
            status=status,
            suppressed_reason=reason,
            queued_at=when,
            sent_at=when if status == Notification.Status.SENT else None,
        )

    return make


def figures(user, period=PERIOD, **filters):
    """Every table of the dashboard as `user` sees it, keyed by name."""
    return build(scope_for(user), Selection(period=period, **filters))


def value(table, key, column="value"):
    return table.row(key).get(column)


@pytest.fixture
def now():
    return timezone.now()
