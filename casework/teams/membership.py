"""Joining and leaving teams. Membership rows and django-guardian grants change together, so the
grants that the access checkpoint reads always match who is in the team."""

from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from .models import Membership, Team

STAFF_PERMS = ["teams.work_cases"]
MANAGER_PERMS = ["teams.work_cases", "teams.manage_cases"]


@transaction.atomic
def add_member(*, team: Team, user, role: str = Membership.Role.STAFF) -> Membership:
    membership, _created = Membership.objects.update_or_create(team=team, user=user, defaults={"role": role})
    for perm in MANAGER_PERMS:
        remove_perm(perm, user, team)
    for perm in MANAGER_PERMS if role == Membership.Role.MANAGER else STAFF_PERMS:
        assign_perm(perm, user, team)
    return membership


@transaction.atomic
def remove_member(*, team: Team, user) -> None:
    Membership.objects.filter(team=team, user=user).delete()
    for perm in MANAGER_PERMS:
        remove_perm(perm, user, team)
