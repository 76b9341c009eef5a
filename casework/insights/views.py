"""Managers' screens: team workload and figures, limited to the teams they manage."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.shortcuts import render
from django.utils import timezone

from casework.cases.access import teams_user_manages, visible_cases
from casework.cases.lifecycle import Status
from casework.cases.models import restricted_respondents
from casework.feedback.models import Response
from casework.intake.models import Route
from casework.teams.models import Membership

from .figures import metric_scores


def _managed_teams_or_403(user):
    teams = teams_user_manages(user)
    if not teams.exists():
        raise PermissionDenied
    return teams


def team_overview(request):
    teams = _managed_teams_or_403(request.user)
    now = timezone.now()
    # A restricted person's cases are frozen, so they are not work to count.
    restricted = restricted_respondents()
    open_cases = ~Q(cases__status=Status.CLOSED) & ~Q(cases__respondent_id__in=restricted)
    teams = teams.annotate(
        open_count=Count("cases", filter=open_cases),
        unassigned_count=Count("cases", filter=open_cases & Q(cases__assignee__isnull=True)),
        overdue_count=Count(
            "cases", filter=open_cases & Q(cases__first_contacted_at__isnull=True, cases__first_contact_due_at__lt=now)
        ),
    )
    members = (
        Membership.objects.filter(team__in=teams)
        .select_related("user", "team")
        .annotate(
            open_count=Count(
                "user__assigned_cases",
                filter=~Q(user__assigned_cases__status=Status.CLOSED)
                & Q(user__assigned_cases__team=F("team"))
                & ~Q(user__assigned_cases__respondent_id__in=restricted),
            )
        )
    )
    return render(request, "insights/team_overview.html", {"teams": teams, "members": members})


def dashboard(request):
    teams = _managed_teams_or_403(request.user)
    since = timezone.now() - datetime.timedelta(days=90)
    # The teams' share of all answers: products routed to them (country-specific routes included),
    # plus any answer that joined one of their cases.
    products = Route.objects.filter(team__in=teams).values("product")
    responses = Response.objects.filter(
        Q(product__in=products) | Q(case_link__case__team__in=teams), answered_at__gte=since
    ).distinct()
    status_counts = dict(
        visible_cases(request.user).filter(team__in=teams).values_list("status").annotate(n=Count("pk")).order_by()
    )
    statuses = [{"label": status.label, "count": status_counts.get(status, 0)} for status in Status]
    return render(
        request,
        "insights/dashboard.html",
        {"scores": metric_scores(responses), "statuses": statuses, "since": since},
    )
