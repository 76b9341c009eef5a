"""The one access checkpoint. Every view, partial, export, bulk action and count starts from
`visible_cases`; a single case is fetched only through `get_case_or_404`."""

import re

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from casework.teams.models import Membership, Team, TeamUserObjectPermission

from .lifecycle import Status, allowed_next
from .models import Case, CaseUserObjectPermission


def _grants(user, codename: str) -> QuerySet[TeamUserObjectPermission]:
    """The user's guardian grants of `codename`, honoured only while the membership they were made for
    still gives them: a grant cannot outlive its membership (foreign key), and a manager's grant stops
    counting the moment the role says otherwise, however the role was changed."""
    grants = TeamUserObjectPermission.objects.filter(user=user, permission__codename=codename)
    if codename == "manage_cases":
        grants = grants.filter(membership__role=Membership.Role.MANAGER)
    return grants


def teams_user_works(user) -> QuerySet[Team]:
    """Teams whose cases the user works, read from the grants on each request, so a removal takes
    effect on the next page the person opens."""
    if not (user.is_authenticated and user.is_active):
        return Team.objects.none()
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(pk__in=_grants(user, "work_cases").values("content_object"))


def teams_user_manages(user) -> QuerySet[Team]:
    if not (user.is_authenticated and user.is_active):
        return Team.objects.none()
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(pk__in=_grants(user, "manage_cases").values("content_object"))


def visible_cases(user) -> QuerySet[Case]:
    if not (user.is_authenticated and user.is_active):
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    # Read as two short lists first: the database then filters on plain column values, which keeps
    # the queue queries on their indexes.
    teams = list(_grants(user, "work_cases").values_list("content_object_id", flat=True))
    shared = list(
        CaseUserObjectPermission.objects.filter(user=user, permission__codename="work_case").values_list(
            "content_object_id", flat=True
        )
    )
    if not shared:
        return Case.objects.filter(team_id__in=teams)
    return Case.objects.filter(Q(team_id__in=teams) | Q(pk__in=shared))


def visible_cases_of_teams(team_ids) -> QuerySet[Case]:
    """What a member of these teams sees through the team grants, for a reader that is not a person
    (a read API token): `visible_cases` without individual shares, which belong to a person."""
    return Case.objects.filter(team_id__in=list(team_ids))


def case_number(reference: str) -> int | None:
    match = re.fullmatch(re.escape(settings.CASEWORK_CASE_PREFIX) + r"([0-9]{1,9})", reference)
    return int(match[1]) if match else None


def get_case_or_404(user, reference: str) -> Case:
    """The case named `reference` ("CW-1042") if the user may see it; otherwise a 404 that does not
    tell whether such a case exists."""
    match = re.fullmatch(re.escape(settings.CASEWORK_CASE_PREFIX) + r"([0-9]{1,9})", reference)
    if match is None:
        raise Http404
    try:
        return visible_cases(user).for_list().get(number=int(match[1]))
    except Case.DoesNotExist:
        raise Http404 from None


def works_team(user, team) -> bool:
    return user.is_superuser or teams_user_works(user).filter(pk=team.pk).exists()


def manages_case(user, case: Case) -> bool:
    """Managers of the case's team assign, reopen and bulk-edit; administrators may too."""
    return user.is_superuser or teams_user_manages(user).filter(pk=case.team_id).exists()


# Who may do what to a case: one function per action, asked both by the forms (what is offered) and by
# the workflow (what is accepted), so the two cannot drift apart. Each takes a case the person can
# already see (through `get_case_or_404` or `visible_cases`).


def is_member(user, team) -> bool:
    """In the team itself (administrators see every team without being in it): who may hold its cases."""
    return team.memberships.filter(user_id=user.pk).exists() and works_team(user, team)


def may_claim(user, case: Case) -> bool:
    """Members take open cases of their own team that are not theirs yet."""
    return case.status != Status.CLOSED and case.assignee_id != user.pk and is_member(user, case.team)


def may_assign(user, case: Case, assignee) -> bool:
    """Managers give a case to anyone in the team (or back to its queue); others only to themselves."""
    return manages_case(user, case) or (assignee is not None and assignee.pk == user.pk and is_member(user, case.team))


def may_reopen(user, case: Case) -> bool:
    return manages_case(user, case)


def may_move_to(user, case: Case, status: str) -> bool:
    """The lifecycle allows the step, and a closed case is reopened only by a manager."""
    if status not in allowed_next(case.status):
        return False
    return case.status != Status.CLOSED or may_reopen(user, case)


def may_share(user, case: Case) -> bool:
    """Members of the case's team (not those it was shared with) let a colleague outside it in."""
    return works_team(user, case.team)
