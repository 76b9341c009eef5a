"""Escalating overdue cases: a periodic job of `manage.py worker` (settings.CASEWORK_PERIODIC_JOBS),
also run by `manage.py escalate`."""

from django.db import transaction
from django.utils import timezone

from casework.teams.models import Membership

from .models import Case, Notice
from .workflow import CaseChanged, escalate_case

FIRST_CONTACT, RESOLUTION = "first_contact", "resolution"


def overdue_unescalated(now):
    """(case, what) for every open case past a due time that has not been escalated yet."""
    # A restricted person's cases are frozen: they neither escalate nor count as overdue work.
    first = Case.objects.workable().first_contact_overdue(now).filter(escalated_at__isnull=True)
    late = Case.objects.workable().resolution_overdue(now).filter(escalated_at__isnull=True).exclude(pk__in=first.values("pk"))
    for case in first.select_related("team").iterator():
        yield case, FIRST_CONTACT
    for case in late.select_related("team").iterator():
        yield case, RESOLUTION


def escalate_overdue(*, now=None) -> int:
    now = now or timezone.now()
    managers = _managers_by_team()
    escalated = 0
    for case, what in list(overdue_unescalated(now)):
        try:
            with transaction.atomic():
                escalate_case(case=case, what=what, now=now)
                kind = Notice.Kind.OVERDUE_FIRST_CONTACT if what == FIRST_CONTACT else Notice.Kind.OVERDUE_RESOLUTION
                Notice.objects.bulk_create(
                    [Notice(user_id=user_id, case=case, kind=kind) for user_id in managers.get(case.team_id, [])]
                )
        except CaseChanged:
            continue  # someone is working on it right now; the next run looks again
        escalated += 1
    return escalated


def _managers_by_team() -> dict[int, list[int]]:
    managers = {}
    for team_id, user_id in Membership.objects.filter(role=Membership.Role.MANAGER).values_list("team_id", "user_id"):
        managers.setdefault(team_id, []).append(user_id)
    return managers
