"""Joining and leaving teams, and role changes. The django-guardian grants that the access checkpoint
reads are made here from the membership, and hang from it: deleting a membership by any path deletes
its grants in the database, and the checkpoint honours a manager grant only while the membership's
role still says manager."""

from django.contrib.auth.models import Permission
from django.db import transaction

from .models import Membership, Team, TeamUserObjectPermission

STAFF_PERMS = ["work_cases"]
MANAGER_PERMS = ["work_cases", "manage_cases"]


def perms_for(role: str) -> list[str]:
    return MANAGER_PERMS if role == Membership.Role.MANAGER else STAFF_PERMS


@transaction.atomic
def add_member(*, team: Team, user, role: str = Membership.Role.STAFF, is_away: bool | None = None) -> Membership:
    """Adds the person, or changes their role (and away flag) if they are a member already."""
    defaults = {"role": role} if is_away is None else {"role": role, "is_away": is_away}
    membership, _created = Membership.objects.update_or_create(team=team, user=user, defaults=defaults)
    sync_grants(membership)
    return membership


def sync_grants(membership: Membership) -> None:
    """Makes the membership's grants exactly those of its role."""
    wanted = set(perms_for(membership.role))
    membership.grants.exclude(permission__codename__in=wanted).delete()
    have = set(membership.grants.values_list("permission__codename", flat=True))
    permissions = Permission.objects.filter(content_type__app_label="teams", codename__in=wanted - have)
    TeamUserObjectPermission.objects.bulk_create(
        [
            TeamUserObjectPermission(membership=membership, user_id=membership.user_id, content_object_id=membership.team_id, permission=permission)
            for permission in permissions
        ]
    )


@transaction.atomic
def remove_member(*, team: Team, user) -> None:
    # The grants go with the row (ON DELETE CASCADE).
    Membership.objects.filter(team=team, user=user).delete()
