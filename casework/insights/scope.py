"""Who sees which figures. Cases come only through the access checkpoint (`visible_cases`);
answers are attributed to a team through the case they belong to, else through their product's
route — one rule, so that every figure, link and export of a team counts the same answers."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from casework.cases.access import teams_user_manages, teams_user_works, visible_cases
from casework.cases.models import Case
from casework.feedback.models import Response
from casework.intake.models import Route
from casework.teams.models import Team


@dataclass(frozen=True)
class Scope:
    cases: QuerySet[Case]
    teams: QuerySet[Team]
    # None: every team's answers (administrators). Staff see no answers at all, only their own loop figures.
    team_ids: tuple[int, ...] | None
    own_only: bool = False

    @property
    def sees_answers(self) -> bool:
        return not self.own_only

    def responses(self, team_ids: tuple[int, ...] | None = None) -> QuerySet[Response]:
        if self.own_only:
            return Response.objects.none()
        ids = team_ids if team_ids is not None else self.team_ids
        if ids is None:
            return Response.objects.all()
        return Response.objects.filter(attributed_to_q(ids))

    def case_link_params(self) -> dict[str, str]:
        """What a link to the case list must add so it shows the same cases as the figure."""
        return {"assignee": "me"} if self.own_only else {}


def attributed_to_q(team_ids) -> Q:
    """Answers of these teams: those in one of their cases, and those in no case whose product they route."""
    products = list(Route.objects.filter(team_id__in=team_ids).values_list("product", flat=True).distinct())
    in_their_case = Q(case_link__case__team_id__in=team_ids)
    if not products:
        return in_their_case
    return in_their_case | Q(case_link__isnull=True, product__in=products)


def scope_for(user) -> Scope:
    if user.is_superuser:
        return Scope(cases=visible_cases(user), teams=Team.objects.all(), team_ids=None)
    managed = tuple(teams_user_manages(user).values_list("pk", flat=True))
    if managed:
        return Scope(
            cases=visible_cases(user).filter(team_id__in=managed),
            teams=Team.objects.filter(pk__in=managed),
            team_ids=managed,
        )
    if teams_user_works(user).exists():
        return Scope(cases=visible_cases(user).filter(assignee=user), teams=Team.objects.none(), team_ids=(), own_only=True)
    raise PermissionDenied
