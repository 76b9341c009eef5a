"""Turning validated answers into stored responses and the right cases (DESIGN.md, "Ingestion API").
The API, the CSV import and the tests all come through `ingest`."""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases import workflow
from casework.cases.models import Case, CaseResponse
from casework.feedback.models import Response, Source
from casework.feedback.respondents import match_respondent

from .assignment import pick_assignee
from .duetimes import due_at
from .models import Route, Rule
from .rules import active_rules, first_matching_rule, team_for
from .validation import Item, validate_item

CREATED, DUPLICATE, INVALID = "created", "duplicate", "invalid"


@dataclass
class Result:
    id: object
    status: str
    case: str | None = None
    errors: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

    def as_dict(self) -> dict:
        data = {"id": self.id, "status": self.status, "case": self.case, "errors": self.errors}
        if self.warnings:
            data["warnings"] = self.warnings
        return data


@dataclass
class _Context:
    """What stays the same for a whole batch, loaded once."""

    source: Source
    rules: list[Rule]
    routes: list[Route]
    now: datetime.datetime


def ingest(source: Source, raw_items: list, *, now: datetime.datetime | None = None) -> list[Result]:
    """One result per item, in input order. Each valid item is stored in its own transaction, so an
    invalid or failing neighbour never takes it down."""
    context = _Context(source, active_rules(), list(Route.objects.select_related("team")), now or timezone.now())
    results = []
    for raw in raw_items:
        item, errors = validate_item(raw, now=context.now)
        if errors:
            external_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
            results.append(Result(external_id, INVALID, errors=errors))
        else:
            results.append(_ingest_item(item, context))
    return results


def _ingest_item(item: Item, context: _Context) -> Result:
    original = _stored(context.source, item.external_id)
    if original is not None:
        return _duplicate(item, original)
    try:
        with transaction.atomic():
            return _store(item, context)
    except IntegrityError:
        # The same answer arrived through another request a moment ago.
        original = _stored(context.source, item.external_id)
        if original is None:
            raise
        return _duplicate(item, original)


def _stored(source, external_id) -> Response | None:
    return Response.objects.filter(source=source, external_id=external_id).first()


def _duplicate(item: Item, original: Response) -> Result:
    link = CaseResponse.objects.filter(response=original).select_related("case").first()
    return Result(item.external_id, DUPLICATE, case=link.case.reference if link else None)


def _store(item: Item, context: _Context) -> Result:
    match = match_respondent(item.identity, answered_at=item.answered_at)
    personal = match.may_store_personal_data
    response = Response.objects.create(
        source=context.source,
        external_id=item.external_id,
        respondent=match.respondent,
        metric=item.metric,
        score=item.score,
        # The comment and page may identify the person, so they go with the rest of the personal data.
        comment=item.comment if personal else "",
        page_url=item.url if personal else "",
        answered_at=item.answered_at,
        received_at=context.now,
        channel=item.channel,
        product=item.product,
        locale=item.locale,
    )
    if not personal:
        message = _("The respondent has objected, restricted processing or been erased: stored without personal data, no case opened.")
        return Result(item.external_id, CREATED, warnings=[message])
    case = _route(response, item.identity.country, context)
    return Result(item.external_id, CREATED, case=case.reference if case else None)


def _route(response: Response, country: str, context: _Context) -> Case | None:
    rule = first_matching_rule(response, context.rules, country=country)
    if rule is None:
        return None
    existing = _open_case_of(response)
    if existing is not None:
        return workflow.attach_response(case=existing, response=response, priority=rule.priority, when=context.now)
    team = team_for(rule, response, country=country, routes=context.routes)
    if team is None:
        return None
    try:
        with transaction.atomic():
            return _open(response, rule, team, context.now)
    except IntegrityError:
        # Another request opened this person's case for the product first: join it.
        existing = _open_case_of(response)
        if existing is None:
            raise
        return workflow.attach_response(case=existing, response=response, priority=rule.priority, when=context.now)


def _open_case_of(response: Response) -> Case | None:
    if response.respondent_id is None:
        return None
    return (
        Case.objects.open()
        .select_for_update()
        .filter(respondent_id=response.respondent_id, product=response.product)
        .first()
    )


def _open(response: Response, rule: Rule, team, now) -> Case:
    return workflow.open_case(
        response=response,
        team=team,
        priority=rule.priority,
        first_contact_due_at=due_at(now, rule.first_contact_hours, team=team),
        resolution_due_at=due_at(now, rule.resolution_hours, team=team),
        assignee=pick_assignee(team),
        now=now,
    )
