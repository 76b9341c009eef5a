"""The Monday figures e-mail for managers who asked for it: their teams' headline figures of the week
just ended, with links to the dashboard. Numbers only, never a respondent's name or comment: e-mail
travels and is kept where Casework's access rules do not reach."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from .figures import Selection
from .models import WeeklyFiguresEmail
from .periods import Period, local_today
from .scope import scope_for
from .tables import build

HEADLINES = ("opened", "closed", "loop_rate", "contact_median", "email_median", "sla_met")


def last_week(today: datetime.date) -> Period:
    sunday = today - datetime.timedelta(days=today.weekday() + 1)
    return Period(sunday - datetime.timedelta(days=6), sunday)


def weekly_context(user, period: Period) -> dict:
    scope = scope_for(user)
    selection = Selection(period=period)
    tables = build(scope, selection, names=("scores", "loop"))
    dashboard = settings.CASEWORK_BASE_URL + reverse("insights:dashboard") + "?" + urlencode(selection.query())
    return {
        "period": period,
        "scores": [row for row in tables["scores"].rows if row["answers"]],
        "loop": [row for row in tables["loop"].rows if row["key"] in HEADLINES],
        "dashboard_url": dashboard,
    }


def send_weekly_figures(*, now=None) -> int:
    today = local_today(now)
    period = last_week(today)
    managers = (
        get_user_model()
        .objects.filter(is_active=True, staff_preference__weekly_figures=True)
        .filter(memberships__role="manager")
        .exclude(email="")
        .distinct()
    )
    sent = 0
    for manager in managers:
        if not _claim(manager, period.first_day):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = weekly_context(manager, period)
            subject = " ".join(render_to_string("insights/email/weekly_subject.txt", context).split())
            body = render_to_string("insights/email/weekly.txt", context)
        EmailMessage(subject=subject, body=body, to=[manager.email]).send()
        sent += 1
    return sent


def _claim(user, week) -> bool:
    try:
        with transaction.atomic():
            WeeklyFiguresEmail.objects.create(user=user, week=week)
    except IntegrityError:
        return False
    return True
