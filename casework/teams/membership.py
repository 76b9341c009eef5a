"""Joining and leaving teams, and role changes. The django-guardian grants that the access checkpoint
reads are made here from the membership, and hang from it: deleting a membership by any path deletes
its grants in the database, and the checkpoint honours a manager grant only while the membership's
role still says manager."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import translation

from .models import Membership, Team, TeamUserObjectPermission

STAFF_PERMS = ["work_cases"]
MANAGER_PERMS = ["work_cases", "manage_cases"]


def perms_for(role: str) -> list[str]:
    return MANAGER_PERMS if role == Membership.Role.MANAGER else STAFF_PERMS


@transaction.atomic
def add_member(
    *, team: Team, user, role: str = Membership.Role.STAFF, is_away: bool | None = None, takes_cases: bool | None = None
) -> Membership:
    """Adds the person, or changes their role (and flags given) if they are a member already. A new
    manager oversees rather than takes cases unless told otherwise; staff take cases."""
    defaults = {"role": role}
    if is_away is not None:
        defaults["is_away"] = is_away
    if takes_cases is not None:
        defaults["takes_cases"] = takes_cases
    create_defaults = {"takes_cases": role != Membership.Role.MANAGER, **defaults}
    membership, _created = Membership.objects.update_or_create(
        team=team, user=user, defaults=defaults, create_defaults=create_defaults
    )
    sync_grants(membership)
    return membership


@transaction.atomic
def set_availability(*, membership: Membership, actor, is_away: bool | None = None, takes_cases: bool | None = None) -> Membership:
    """Marks a member away or back, or as taking new cases or not. Who may is the caller's question
    (insights' team overview asks `teams_user_manages`). Each real change is written to the admin's
    history of the membership, with who made it and when."""
    wanted = {"is_away": is_away, "takes_cases": takes_cases}
    changed = [field for field, value in wanted.items() if value is not None and getattr(membership, field) != value]
    if not changed:
        return membership
    for field in changed:
        setattr(membership, field, wanted[field])
    membership.save(update_fields=changed)
    # Stored in English, as the admin stores its own; the history page translates field names itself.
    with translation.override(None):
        names = [str(Membership._meta.get_field(field).verbose_name) for field in changed]
    LogEntry.objects.log_actions(
        user_id=actor.pk, queryset=[membership], action_flag=CHANGE, change_message=[{"changed": {"fields": names}}]
    )
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
