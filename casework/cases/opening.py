"""Opening cases and joining later responses to them: the intake side of the workflow. The Events
are the same as a person's actions write, so a case's timeline starts the same way however it opened."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from casework.feedback.models import Response
from casework.teams.models import Team

from . import search
from .models import Case, CaseResponse, Event
from .numbering import reserve_case_numbers
from .workflow import record_event, record_events, update_case


@transaction.atomic
def open_case(
    *,
    response: Response,
    team: Team,
    priority: int,
    first_contact_due_at: datetime.datetime | None = None,
    resolution_due_at: datetime.datetime | None = None,
    assignee=None,
    actor=None,
    now: datetime.datetime | None = None,
) -> Case:
    now = now or timezone.now()
    case = Case.objects.create(
        number=reserve_case_numbers(1)[0],
        team=team,
        priority=priority,
        respondent=response.respondent,
        response=response,
        product=response.product,
        metric=response.metric,
        score=response.score,
        created_at=now,
        first_contact_due_at=first_contact_due_at,
        resolution_due_at=resolution_due_at,
        assignee=assignee,
    )
    CaseResponse.objects.create(case=case, response=response)
    record_event(case=case, kind=Event.Kind.OPENED, actor=actor, when=now, response=response.pk)
    if assignee is not None:
        record_event(case=case, kind=Event.Kind.ASSIGNED, actor=actor, when=now, to=assignee.pk)
    search.refresh_cases([case.pk])
    return case


@dataclass
class CasePlan:
    response: Response
    team: Team
    priority: int
    first_contact_due_at: datetime.datetime | None
    resolution_due_at: datetime.datetime | None
    assignee: object = None


@transaction.atomic
def open_cases(plans: list[CasePlan], *, now: datetime.datetime) -> list[Case]:
    """`open_case` for a whole batch in a few bulk statements, with the same rows and Events."""
    if not plans:
        return []
    cases = [
        Case(
            number=number,
            team=plan.team,
            priority=plan.priority,
            respondent=plan.response.respondent,
            response=plan.response,
            product=plan.response.product,
            metric=plan.response.metric,
            score=plan.response.score,
            created_at=now,
            first_contact_due_at=plan.first_contact_due_at,
            resolution_due_at=plan.resolution_due_at,
            assignee=plan.assignee,
        )
        for plan, number in zip(plans, reserve_case_numbers(len(plans)))
    ]
    Case.objects.bulk_create(cases)
    CaseResponse.objects.bulk_create([CaseResponse(case=case, response=case.response) for case in cases])
    events = [Event(case=case, kind=Event.Kind.OPENED, created_at=now, data={"response": case.response_id}) for case in cases]
    events += [
        Event(case=case, kind=Event.Kind.ASSIGNED, created_at=now, data={"to": case.assignee.pk})
        for case in cases
        if case.assignee is not None
    ]
    record_events(events)
    search.refresh_cases([case.pk for case in cases])
    return cases


@transaction.atomic
def attach_response(*, case: Case, response: Response, priority: int | None = None, when=None) -> Case:
    """A later answer from the same person about the same product joins the open case instead of
    opening a duplicate; a more urgent answer raises the case's priority."""
    when = when or timezone.now()
    CaseResponse.objects.create(case=case, response=response)
    record_event(case=case, kind=Event.Kind.RESPONSE, when=when, response=response.pk, score=response.score)
    if priority is not None and priority > case.priority:
        previous = case.priority
        update_case(case, None, priority=priority)
        record_event(case=case, kind=Event.Kind.PRIORITY, when=when, **{"from": previous, "to": priority})
    search.refresh_cases([case.pk])
    return case


@transaction.atomic
def attach_responses(joins: list[tuple[Case, Response, int]], *, now: datetime.datetime) -> None:
    """`attach_response` for a batch: (open case, later response, the rule's priority) each."""
    if not joins:
        return
    CaseResponse.objects.bulk_create([CaseResponse(case=case, response=response) for case, response, _p in joins])
    record_events(
        [
            Event(case=case, kind=Event.Kind.RESPONSE, created_at=now, data={"response": response.pk, "score": response.score})
            for case, response, _priority in joins
        ]
    )
    highest = {}
    for case, _response, priority in joins:
        if priority > highest.get(case, (case.priority, None))[0]:
            highest[case] = (priority, case.priority)
    for case, (priority, previous) in highest.items():
        update_case(case, None, priority=priority)
        record_event(case=case, kind=Event.Kind.PRIORITY, when=now, **{"from": previous, "to": priority})
    search.refresh_cases([case.pk for case, _response, _priority in joins])
