"""Turning validated answers into stored responses and the right cases (DESIGN.md, "Ingestion API").
The API, the CSV import and the tests all come through `ingest`.

A batch is stored in one transaction with a handful of bulk statements, which is what makes
thousands of responses a second possible. If a concurrent request stored one of the same answers
(or opened the same person's case) meanwhile, the batch's transaction fails as a whole and the batch
goes again one item at a time, where each conflict becomes a "duplicate" or a joined case."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases import opening, search
from casework.cases.models import Case, CaseResponse, Event
from casework.cases.workflow import record_event
from casework.feedback.models import Response, Source
from casework.feedback.respondents import match_respondent, match_respondents

from .assignment import pick_assignee, pick_assignees
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


def _no_personal_data_warning() -> str:
    return _(
        "The respondent has objected, restricted processing or been erased: "
        "stored without personal data, no case opened."
    )


def ingest(source: Source, raw_items: list, *, now: datetime.datetime | None = None) -> list[Result]:
    """One result per item, in input order; valid items are stored whatever their neighbours are."""
    context = _Context(source, active_rules(), list(Route.objects.select_related("team")), now or timezone.now())
    results: list[Result | None] = [None] * len(raw_items)
    valid = []
    for index, raw in enumerate(raw_items):
        item, errors = validate_item(raw, now=context.now)
        if errors:
            external_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
            results[index] = Result(external_id, INVALID, errors=errors)
        else:
            valid.append((index, item))
    if valid:
        try:
            with transaction.atomic():
                _ingest_batch(valid, results, context)
        except IntegrityError:
            for index, item in valid:
                results[index] = _ingest_item(item, context)
    return results


# The batch path.


def _ingest_batch(valid: list[tuple[int, Item]], results: list, context: _Context) -> None:
    first_of: dict[str, int] = {}
    fresh, repeats = [], []
    for index, item in valid:
        if item.external_id in first_of:
            repeats.append((index, first_of[item.external_id]))
        else:
            first_of[item.external_id] = index
            fresh.append((index, item))
    stored = {
        response.external_id: response
        for response in Response.objects.filter(source=context.source, external_id__in=list(first_of))
    }
    if stored:
        cases_of = _case_references(stored.values())
        for index, item in fresh:
            if item.external_id in stored:
                results[index] = Result(item.external_id, DUPLICATE, case=cases_of.get(stored[item.external_id].pk))
        fresh = [(index, item) for index, item in fresh if item.external_id not in stored]
    matches = match_respondents(context.source, [(item.identity, item.answered_at) for _index, item in fresh])
    responses = [_response(item, match, context) for (_index, item), match in zip(fresh, matches)]
    Response.objects.bulk_create(responses)
    routed = _route_batch(
        [(response, item.identity.country) for (_i, item), response, match in zip(fresh, responses, matches) if match.may_store_personal_data],
        context,
    )
    for (index, item), response, match in zip(fresh, responses, matches):
        if match.conflicts:
            report_conflicts(response, item.identity, match, routed.get(response.pk), context)
        if not match.may_store_personal_data:
            results[index] = Result(item.external_id, CREATED, warnings=[_no_personal_data_warning()])
        else:
            case = routed.get(response.pk)
            results[index] = Result(item.external_id, CREATED, case=case.reference if case else None)
    for index, original in repeats:
        results[index] = Result(results[original].id, DUPLICATE, case=results[original].case)
    _refresh_search_of_people(matches, routed)


def _refresh_search_of_people(matches, routed: dict) -> None:
    """A newer answer may bring a newer name or company: the person's other cases are searched by
    it too (the cases just opened or joined were refreshed by `opening`)."""
    people = {match.respondent.pk for match in matches if match.respondent is not None and match.may_store_personal_data}
    if people:
        others = Case.objects.filter(respondent_id__in=people).exclude(pk__in=[case.pk for case in routed.values()])
        search.refresh_cases(others.values_list("pk", flat=True))


def _case_references(responses) -> dict[int, str]:
    links = CaseResponse.objects.filter(response__in=list(responses)).select_related("case")
    return {link.response_id: link.case.reference for link in links}


def _response(item: Item, match, context: _Context) -> Response:
    personal = match.may_store_personal_data
    return Response(
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


def _route_batch(entries: list[tuple[Response, str]], context: _Context) -> dict[int, Case]:
    """Opens or joins cases for the batch's matching responses; returns {response pk: case}."""
    matched = []
    for response, country in entries:
        rule = first_matching_rule(response, context.rules, country=country)
        if rule is not None:
            matched.append((response, rule, country))
    if not matched:
        return {}
    open_cases = _open_cases_by_key({response.respondent_id for response, _r, _c in matched} - {None})
    routed, plans, joins = {}, [], []
    planned_for_key = {}
    for response, rule, country in matched:
        key = (response.respondent_id, response.product) if response.respondent_id else None
        if key in open_cases:
            joins.append((open_cases[key], response, rule.priority))
        elif key is not None and key in planned_for_key:
            joins.append((planned_for_key[key], response, rule.priority))
        else:
            team = team_for(rule, response, country=country, routes=context.routes)
            if team is None:
                continue
            plan = opening.CasePlan(
                response=response,
                team=team,
                priority=rule.priority,
                first_contact_due_at=due_at(context.now, rule.first_contact_hours, team=team),
                resolution_due_at=due_at(context.now, rule.resolution_hours, team=team),
            )
            plans.append(plan)
            if key is not None:
                planned_for_key[key] = plan
    _assign(plans)
    opened = {case.response_id: case for case in opening.open_cases(plans, now=context.now)}
    routed.update(opened)
    resolved = []
    for target, response, priority in joins:
        case = opened[target.response.pk] if isinstance(target, opening.CasePlan) else target
        resolved.append((case, response, priority))
        routed[response.pk] = case
    opening.attach_responses(resolved, now=context.now)
    return routed


def _open_cases_by_key(respondent_ids) -> dict:
    if not respondent_ids:
        return {}
    cases = Case.objects.open().select_for_update().filter(respondent_id__in=respondent_ids)
    return {(case.respondent_id, case.product): case for case in cases}


def _assign(plans: list) -> None:
    by_team = defaultdict(list)
    for plan in plans:
        by_team[plan.team].append(plan)
    # Teams in a fixed order, so that two batches locking the same teams cannot deadlock.
    for team in sorted(by_team, key=lambda team: team.pk):
        for plan, person in zip(by_team[team], pick_assignees(team, len(by_team[team]))):
            plan.assignee = person


def report_conflicts(response: Response, identity, match, case: Case | None, context: _Context) -> None:
    """An answer whose e-mail disagrees with the person on record changes nothing; staff see it on the
    case this answer opened or joined (else the person's open cases) and decide."""
    cases = [case] if case is not None else list(Case.objects.open().filter(respondent=match.respondent))
    for target in cases:
        record_event(
            case=target,
            kind=Event.Kind.IDENTITY,
            when=context.now,
            response=response.pk,
            source=context.source.name,
            fields=list(match.conflicts),
            # What the tool sent, so staff can tell a new address from a mix-up; erased with the person.
            received={name: getattr(identity, name) for name in match.conflicts},
        )


def route_response(source: Source, response: Response, *, country: str = "", now: datetime.datetime | None = None) -> Case | None:
    """Opens or joins the case a stored response calls for, for a response that a later delivery
    completed (revisions.py): the same rules and routing as a new one."""
    context = _Context(source, active_rules(), list(Route.objects.select_related("team")), now or timezone.now())
    return _route_one(response, country, context)


# The one-by-one path, for a batch that met a concurrent writer.


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
    return Result(item.external_id, DUPLICATE, case=_case_references([original]).get(original.pk))


def _store(item: Item, context: _Context) -> Result:
    match = match_respondent(context.source, item.identity, answered_at=item.answered_at)
    response = _response(item, match, context)
    response.save()
    if not match.may_store_personal_data:
        return Result(item.external_id, CREATED, warnings=[_no_personal_data_warning()])
    case = _route_one(response, item.identity.country, context)
    _refresh_search_of_people([match], {response.pk: case} if case else {})
    if match.conflicts:
        report_conflicts(response, item.identity, match, case, context)
    return Result(item.external_id, CREATED, case=case.reference if case else None)


def _route_one(response: Response, country: str, context: _Context) -> Case | None:
    rule = first_matching_rule(response, context.rules, country=country)
    if rule is None:
        return None
    existing = _open_cases_by_key({response.respondent_id} - {None}).get((response.respondent_id, response.product))
    if existing is not None:
        return opening.attach_response(case=existing, response=response, priority=rule.priority, when=context.now)
    team = team_for(rule, response, country=country, routes=context.routes)
    if team is None:
        return None
    try:
        with transaction.atomic():
            return opening.open_case(
                response=response,
                team=team,
                priority=rule.priority,
                first_contact_due_at=due_at(context.now, rule.first_contact_hours, team=team),
                resolution_due_at=due_at(context.now, rule.resolution_hours, team=team),
                assignee=pick_assignee(team),
                now=context.now,
            )
    except IntegrityError:
        # Another request opened this person's case for the product first: join it.
        existing = _open_cases_by_key({response.respondent_id}).get((response.respondent_id, response.product))
        if existing is None:
            raise
        return opening.attach_response(case=existing, response=response, priority=rule.priority, when=context.now)
