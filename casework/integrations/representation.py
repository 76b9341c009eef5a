"""How cases, their events and responses look to other systems: pydantic models that both the read API
and the webhook payloads are built from, and that the OpenAPI document is generated from (openapi.py),
so the document cannot drift from what is sent."""

import datetime
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from pydantic import BaseModel, ConfigDict, Field

from casework.cases.lifecycle import Status
from casework.cases.models import Case, Contact, Event
from casework.feedback.metrics import Band, Metric, band_for

from .models import WebhookEventType

StatusName = Literal[tuple(Status.values)]  # type: ignore[valid-type]
MetricName = Literal[tuple(Metric.values)]  # type: ignore[valid-type]
BandName = Literal[tuple(Band.values)]  # type: ignore[valid-type]
EventKindName = Literal[tuple(Event.Kind.values)]  # type: ignore[valid-type]


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TeamOut(Out):
    slug: str
    name: str


class PersonOut(Out):
    """The respondent's details as staff see them; empty strings once erased or anonymised."""

    name: str
    email: str
    company: str
    country: str
    locale: str
    objected: bool
    restricted: bool
    erased: bool


class CaseOut(Out):
    reference: str = Field(examples=["CW-1042"])
    url: str
    status: StatusName
    priority: int = Field(ge=1, le=4, description="1 low, 2 normal, 3 high, 4 urgent")
    team: TeamOut
    assignee: str | None = Field(description="The assignee's username, or null for the team queue")
    product: str
    metric: MetricName | None
    score: int | None
    band: BandName | None
    tags: list[str]
    opened_at: datetime.datetime
    updated_at: datetime.datetime
    first_contact_due_at: datetime.datetime | None
    resolution_due_at: datetime.datetime | None
    first_contacted_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    close_reason: str


class EventOut(Out):
    id: int
    kind: EventKindName
    at: datetime.datetime
    by: str | None = Field(description="Username of who did it; null for Casework itself")
    details: dict[str, Any] = Field(
        description="What changed: status from/to/reason, assignee from/to (usernames), contact channel/"
        "direction/outcome, notification status, privacy action, ..."
    )


class ResponseOut(Out):
    id: str = Field(description="The response's id at its source")
    source: str = Field(description="The source's slug")
    metric: MetricName
    score: int
    band: BandName
    comment: str
    answered_at: datetime.datetime
    received_at: datetime.datetime
    channel: str
    product: str
    url: str
    locale: str
    case: str | None = Field(description="Reference of the case it opened or joined")
    respondent: PersonOut | None


class CaseDetailOut(CaseOut):
    respondent: PersonOut | None
    responses: list[ResponseOut]
    events: list[EventOut]


class WebhookData(Out):
    case: CaseOut
    event: EventOut
    respondent: PersonOut | None = Field(
        default=None, description="Only for endpoints allowed personal data, and never for a person who objected, restricted processing or was erased"
    )
    comment: str | None = Field(default=None, description="The opening response's comment; same condition as respondent")


class WebhookPayload(Out):
    """The body of every webhook (Standard Webhooks' type/timestamp/data envelope)."""

    type: Literal[tuple(WebhookEventType.values)]  # type: ignore[valid-type]
    timestamp: datetime.datetime
    data: WebhookData


def case_out(case: Case) -> CaseOut:
    band = band_for(case.metric, case.score) if case.metric in Metric.values and case.score is not None else None
    return CaseOut(
        reference=case.reference,
        url=settings.CASEWORK_BASE_URL + case.get_absolute_url(),
        status=case.status,
        priority=case.priority,
        team=TeamOut(slug=case.team.slug, name=case.team.name),
        assignee=case.assignee.get_username() if case.assignee_id else None,
        product=case.product,
        metric=case.metric or None,
        score=case.score,
        band=band,
        tags=sorted(tag.name for tag in case.tags.all()),
        opened_at=case.created_at,
        updated_at=case.updated_at,
        first_contact_due_at=case.first_contact_due_at,
        resolution_due_at=case.resolution_due_at,
        first_contacted_at=case.first_contacted_at,
        resolved_at=case.resolved_at,
        closed_at=case.closed_at,
        close_reason=case.close_reason,
    )


def person_out(respondent) -> PersonOut | None:
    if respondent is None:
        return None
    return PersonOut(
        name=respondent.name, email=respondent.email, company=respondent.company, country=respondent.country,
        locale=respondent.locale, objected=bool(respondent.objected_at), restricted=bool(respondent.restricted_at),
        erased=bool(respondent.erased_at),
    )


def response_out(response, *, case_reference: str | None) -> ResponseOut:
    return ResponseOut(
        id=response.external_id, source=response.source.slug, metric=response.metric, score=response.score,
        band=response.band, comment=response.comment, answered_at=response.answered_at, received_at=response.received_at,
        channel=response.channel, product=response.product, url=response.page_url, locale=response.locale,
        case=case_reference, respondent=person_out(response.respondent),
    )


class EventReader:
    """Turns Events into EventOut, reading the contacts and people they name in one query each."""

    def __init__(self, events: list[Event], *, with_text: bool):
        self.with_text = with_text
        contact_ids = {event.data.get("contact") for event in events if event.kind == Event.Kind.CONTACT}
        self.contacts = {contact.pk: contact for contact in Contact.objects.filter(pk__in=contact_ids - {None})}
        people = [event.data.get(key) for event in events if event.kind in (Event.Kind.ASSIGNED, Event.Kind.SHARED) for key in ("from", "to")]
        ids = {person for person in people if isinstance(person, int)}
        names = {person for person in people if isinstance(person, str)}
        self.usernames = {}
        for user in get_user_model().objects.filter(Q(pk__in=ids) | Q(username__in=names)):
            self.usernames[user.pk] = self.usernames[user.username] = user.get_username()

    def out(self, event: Event) -> EventOut:
        return EventOut(
            id=event.pk, kind=event.kind, at=event.created_at, by=event.actor.get_username() if event.actor_id else None,
            details=self.details(event),
        )

    def details(self, event: Event) -> dict[str, Any]:
        data = event.data or {}
        if event.kind == Event.Kind.STATUS:
            return {"from": data.get("from"), "to": data.get("to"), "reason": data.get("reason", "")}
        if event.kind in (Event.Kind.ASSIGNED, Event.Kind.SHARED):
            return {key: self.usernames.get(data.get(key)) for key in ("from", "to") if key in data}
        if event.kind == Event.Kind.CONTACT:
            contact = self.contacts.get(data.get("contact"))
            if contact is None:
                return {}
            details = {"channel": contact.channel, "direction": contact.direction, "outcome": contact.outcome, "contacted_at": contact.contacted_at.isoformat()}
            if self.with_text:
                details["summary"] = contact.summary
            return details
        if event.kind == Event.Kind.NOTIFICATION:
            return {"notification": data.get("notification"), "status": data.get("status")}
        if event.kind == Event.Kind.PRIVACY:
            return {"action": data.get("action")}
        if event.kind in (Event.Kind.PRIORITY, Event.Kind.ESCALATED):
            return {"from": data.get("from"), "to": data.get("to")}
        if event.kind == Event.Kind.TAGS:
            return {"tags": data.get("tags", [])}
        if event.kind in (Event.Kind.OPENED, Event.Kind.RESPONSE):
            return {}
        if self.with_text and event.kind in (Event.Kind.NOTE, Event.Kind.ACTION):
            return {"text": data.get("text", data.get("summary", ""))}
        return {}
