"""Responses that arrive more than once as the respondent goes on (DESIGN.md, "Response"): Delighted
sends the score, then the comment; Formbricks sends responseCreated, responseUpdated, responseFinished.
The first delivery goes through `ingest` like any answer; a later one completes the stored response
(upsert on source and response id), the rules are evaluated again, and the response's case is opened
or updated, never duplicated, with an Event that says what changed.

Casework's own API keeps its documented contract instead: an id sent again is a duplicate."""

import datetime

from django.db import transaction
from django.utils import timezone

from casework.cases.lifecycle import Status
from casework.cases import search
from casework.cases.models import Case, CaseResponse, Event
from casework.cases.workflow import record_event, update_case
from casework.feedback.models import Response, Source
from casework.feedback.respondents import match_respondent

from .ingestion import DUPLICATE, INVALID, Result, ingest, route_response
from .rules import active_rules, first_matching_rule
from .validation import Item, validate_item

UPDATED = "updated"
# Fields a later delivery may fill in when the stored response lacks them.
_FILLED = ("product", "channel", "locale")


def ingest_or_complete(source: Source, raw_items: list, *, now: datetime.datetime | None = None) -> list[Result]:
    now = now or timezone.now()
    results = []
    for raw in raw_items:
        item, errors = validate_item(raw, now=now)
        if errors:
            results.append(Result(raw.get("id") if isinstance(raw, dict) else None, INVALID, errors=errors))
            continue
        if not Response.objects.filter(source=source, external_id=item.external_id).exists():
            [result] = ingest(source, [raw], now=now)
            if result.status != DUPLICATE:
                results.append(result)
                continue
            # Another delivery of the same response stored it a moment ago: complete it instead.
        results.append(_complete(source, item, now))
    return results


@transaction.atomic
def _complete(source: Source, item: Item, now) -> Result:
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("respondent")
        .get(source=source, external_id=item.external_id)
    )
    personal, attached = _match(source, response, item)
    before = {"metric": response.metric, "score": response.score}
    changed = (["respondent"] if attached else []) + _apply(response, item, personal)
    link = CaseResponse.objects.filter(response=response).first()
    case = Case.objects.select_for_update().get(pk=link.case_id) if link else None
    if not changed:
        return Result(item.external_id, DUPLICATE, case=case.reference if case else None)
    response.save(update_fields=changed)
    if case is None:
        case = route_response(source, response, country=item.identity.country, now=now) if personal else None
    else:
        _update_case(case, response, changed, before, item.identity.country, now)
    return Result(item.external_id, UPDATED, case=case.reference if case else None)


def _match(source, response: Response, item: Item) -> tuple[bool, bool]:
    """(may personal data be stored, was the person just attached): an anonymous first delivery may
    be followed by one that names the respondent; a frozen person's answers stay without personal data."""
    allowed, attached = True, False
    if not item.identity.is_empty:
        match = match_respondent(source, item.identity, answered_at=response.answered_at)
        allowed = match.may_store_personal_data
        if response.respondent is None and match.respondent is not None and allowed:
            response.respondent, attached = match.respondent, True
    return allowed and not (response.respondent and response.respondent.is_frozen), attached


def _apply(response: Response, item: Item, personal: bool) -> list[str]:
    changed = []
    if (item.metric, item.score) != (response.metric, response.score):
        response.metric, response.score = item.metric, item.score
        changed += ["metric", "score"]
    # A later delivery without the comment (or URL) never erases what an earlier one brought.
    if personal and item.comment and item.comment != response.comment:
        response.comment = item.comment
        changed.append("comment")
    if personal and item.url and not response.page_url:
        response.page_url = item.url
        changed.append("page_url")
    for name in _FILLED:
        value = getattr(item, name)
        if value and not getattr(response, name):
            setattr(response, name, value)
            changed.append(name)
    return changed


def _update_case(case: Case, response: Response, changed: list[str], before: dict, country: str, now) -> None:
    data = {"response": response.pk, "fields": [name for name in changed if name != "metric"]}
    if "score" in changed:
        data["score"] = {"from": before["score"], "to": response.score}
        if case.response_id == response.pk:
            # The case's copy of its opening answer (for queues and bands) follows the answer.
            update_case(case, None, metric=response.metric, score=response.score)
    record_event(case=case, kind=Event.Kind.REVISED, when=now, **data)
    if "comment" in changed:
        search.refresh_cases([case.pk])
    rule = first_matching_rule(response, active_rules(), country=country)
    if rule is not None and rule.priority > case.priority and case.status != Status.CLOSED:
        previous = case.priority
        update_case(case, None, priority=rule.priority)
        record_event(case=case, kind=Event.Kind.PRIORITY, when=now, **{"from": previous, "to": rule.priority})
