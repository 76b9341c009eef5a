"""Who gets a new case: the team's strategy (DESIGN.md, "Team")."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from casework.cases.lifecycle import Status
from casework.teams.models import Membership, Team


def pick_assignee(team: Team):
    """The next person for a new case of `team`, or None for a queue-only team or one with nobody
    available."""
    return pick_assignees(team, 1)[0]


def pick_assignees(team: Team, count: int) -> list:
    """The next `count` people for new cases of `team` (None for a queue-only team or nobody
    available). Must run inside the transaction that opens the cases: the team row is locked first,
    so two workers ingesting at once queue up here instead of both reading the same "next" person."""
    if team.strategy == Team.Strategy.QUEUE or count == 0:
        return [None] * count
    Team.objects.select_for_update().filter(pk=team.pk).exists()
    candidates = list(
        Membership.objects.filter(team=team, is_away=False, takes_cases=True, user__is_active=True)
        .select_related("user")
        .annotate(
            load=Count(
                "user__assigned_cases",
                filter=Q(user__assigned_cases__team=team) & ~Q(user__assigned_cases__status=Status.CLOSED),
            )
        )
    )
    if not candidates:
        return [None] * count
    never = timezone.now() - datetime.timedelta(days=36500)
    least_loaded = team.strategy == Team.Strategy.LEAST_LOADED

    def rank(member):
        order = (member.last_assigned_at or never, member.user_id)
        return (member.load, *order) if least_loaded else order

    now, chosen = timezone.now(), []
    for step in range(count):
        member = min(candidates, key=rank)
        member.load += 1
        # Strictly increasing stamps keep the rotation's order across batches.
        member.last_assigned_at = now + datetime.timedelta(microseconds=step)
        chosen.append(member.user)
    Membership.objects.bulk_update(candidates, ["last_assigned_at"])
    return chosen
