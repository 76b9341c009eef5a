"""The team overview's figures: per team and per member, the open, overdue and waiting cases — counted
from the cases the manager may see (the access checkpoint), never from the tables directly."""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from casework.cases.access import visible_cases
from casework.cases.lifecycle import Status
from casework.cases.models import first_contact_overdue_q, resolution_overdue_q
from casework.teams.models import Membership

FIGURES = ("open_count", "overdue_count", "waiting_count")


def workload(user, teams) -> tuple[list, list[Membership]]:
    """(teams, members), each carrying its counts. A case counts as overdue when its first contact or
    its resolution is late; cases frozen by a restriction are not work and are left out."""
    now = timezone.now()
    rows = (
        visible_cases(user)
        .filter(team__in=teams)
        .open()
        .workable()
        .values("team_id", "assignee_id")
        .annotate(
            open_count=Count("pk"),
            overdue_count=Count("pk", filter=first_contact_overdue_q(now) | resolution_overdue_q(now)),
            waiting_count=Count("pk", filter=Q(status=Status.WAITING)),
            first_contact_overdue_count=Count("pk", filter=first_contact_overdue_q(now)),
        )
        .order_by()
    )
    per_person, per_team = {}, defaultdict(lambda: defaultdict(int))
    for row in rows:
        per_person[row["team_id"], row["assignee_id"]] = row
        totals = per_team[row["team_id"]]
        for figure in (*FIGURES, "first_contact_overdue_count"):
            totals[figure] += row[figure]
        if row["assignee_id"] is None:
            totals["unassigned_count"] += row["open_count"]
    teams = list(teams)
    for team in teams:
        for figure in (*FIGURES, "unassigned_count", "first_contact_overdue_count"):
            setattr(team, figure, per_team[team.pk][figure])
    members = list(
        Membership.objects.filter(team__in=teams)
        .select_related("user", "team")
        .order_by("team__name", "user__first_name", "user__username")
    )
    for member in members:
        row = per_person.get((member.team_id, member.user_id), {})
        for figure in FIGURES:
            setattr(member, figure, row.get(figure, 0))
    return teams, members
