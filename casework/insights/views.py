"""Managers' screens: team workload and figures, limited to the teams they manage."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.cases.access import teams_user_manages, visible_cases
from casework.cases.lifecycle import Status
from casework.feedback.models import Response
from casework.htmx import render_page_or_fragment, vary_on_htmx, wants_fragment
from casework.intake.models import Route
from casework.teams.membership import set_availability
from casework.teams.models import Membership

from .figures import metric_scores
from .forms import AvailabilityForm
from .workload import workload


def _managed_teams_or_403(user):
    teams = teams_user_manages(user)
    if not teams.exists():
        raise PermissionDenied
    return teams


def team_overview(request):
    teams, members = workload(request.user, _managed_teams_or_403(request.user))
    return render(request, "insights/team_overview.html", {"teams": teams, "members": members})


@require_POST
def member_availability(request, pk):
    """A manager marks a member of her team away or back, or as taking new cases or not. Another
    team's member is a 404; someone who manages no team, a 403."""
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, team__in=_managed_teams_or_403(request.user))
    form = AvailabilityForm(request.POST)
    if not form.is_valid():
        return vary_on_htmx(HttpResponseBadRequest(form.errors.as_text()))
    set_availability(membership=membership, actor=request.user, **form.cleaned_data)
    done = _("Saved for %(person)s.") % {"person": membership.user.get_full_name() or membership.user.get_username()}
    if not wants_fragment(request):
        messages.success(request, done)
        return vary_on_htmx(redirect("insights:teams"))
    teams, members = workload(request.user, _managed_teams_or_403(request.user))
    context = {"teams": teams, "members": members, "done": done}
    return render_page_or_fragment(request, "insights/team_overview.html", "workload", context)


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
