"""Who gets a new case: the team's strategy (DESIGN.md, "Team")."""

from django.db.models import Count, F, Q
from django.utils import timezone

from casework.cases.lifecycle import Status
from casework.teams.models import Membership, Team


def pick_assignee(team: Team):
    """The next person for a new case of `team`, or None for a queue-only team or one with nobody
    available. Must run inside the transaction that opens the case: the team row is locked first, so
    two workers ingesting at once queue up here instead of both reading the same "next" person."""
    if team.strategy == Team.Strategy.QUEUE:
        return None
    Team.objects.select_for_update().filter(pk=team.pk).exists()
    candidates = Membership.objects.filter(team=team, is_away=False, user__is_active=True).select_related("user")
    rotation = [F("last_assigned_at").asc(nulls_first=True), "user_id"]
    if team.strategy == Team.Strategy.LEAST_LOADED:
        open_here = Q(user__assigned_cases__team=team) & ~Q(user__assigned_cases__status=Status.CLOSED)
        candidates = candidates.annotate(load=Count("user__assigned_cases", filter=open_here)).order_by("load", *rotation)
    else:
        candidates = candidates.order_by(*rotation)
    chosen = candidates.first()
    if chosen is None:
        return None
    Membership.objects.filter(pk=chosen.pk).update(last_assigned_at=timezone.now())
    return chosen.user
