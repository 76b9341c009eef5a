"""Managers' screens: team workload and figures, limited to the teams they manage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.cases.access import teams_user_manages
from casework.htmx import render_page_or_fragment, vary_on_htmx, wants_fragment
from casework.teams.membership import set_availability
from casework.teams.models import Membership

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

