"""Access and portability (GDPR Art. 15 and 20): everything held about one person, as one JSON
document. Staff appear by role and team, never by name: their names are other people's data."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.cases.models import Case, Contact, Event
from casework.feedback.models import Respondent, Response
from casework.outreach.models import Notification
from casework.teams.models import Membership
from casework.teams.roles import is_privacy_officer

from .erasure import SAFE_EVENT_KEYS
from .models import PrivacyRequest
from .requestlog import fulfil
from .retention import describe_period

SCHEMA = "casework.respondent-export/1"
# Event details that name a member of staff.
STAFF_KEYS = {"assigned": ("from", "to"), "shared": ("to",)}


def _when(moment):
    return moment.isoformat() if moment else None


class _Staff:
    """Turns a user into {"role", "team"} as the person would understand it."""

    def __init__(self, cases):
        teams = {case.team_id for case in cases}
        self.roles = {
            (user_id, team_id): role
            for user_id, team_id, role in Membership.objects.filter(team_id__in=teams).values_list("user_id", "team_id", "role")
        }

    def describe(self, user, case=None) -> dict | None:
        if user is None:
            return None
        team = case.team if case is not None else None
        role = self.roles.get((user.pk, team.pk)) if team is not None else None
        if role is None:
            if is_privacy_officer(user) and not user.is_superuser:
                return {"role": "privacy officer", "team": None}
            role = "administrator" if user.is_superuser else "colleague"
        return {"role": role, "team": team.name if team is not None and role in ("staff", "manager") else None}


def build_export(respondent: Respondent, *, kind: str = PrivacyRequest.Kind.ACCESS, now=None) -> dict:
    now = now or timezone.now()
    with translation.override((respondent.locale or settings.LANGUAGE_CODE).split("-")[0]):
        cases = list(Case.objects.filter(respondent=respondent).select_related("team", "response").prefetch_related("tags").order_by("number"))
        staff = _Staff(cases)
        responses = list(Response.objects.filter(respondent=respondent).select_related("source").order_by("answered_at", "pk"))
        identities = list(respondent.identities.select_related("source"))
        sources = sorted({response.source.name for response in responses} | {identity.source.name for identity in identities})
        return {
            "schema": SCHEMA,
            "kind": kind,
            "generated_at": _when(now),
            "controller": settings.CASEWORK_COMPANY_NAME,
            "purposes": [
                _("Following up on your feedback: a member of our support team may contact you about it."),
                _("Telling you what we did about your feedback (one e-mail, unless you object)."),
                _("Statistics about our products (scores, without your name or contact details)."),
            ],
            "retention": describe_period(),
            "sources": sources,
            "respondent": _respondent(respondent),
            "identities": [{"source": identity.source.name, "user_id": identity.external_id} for identity in identities],
            "responses": [_response(response) for response in responses],
            "cases": [_case(case, staff) for case in cases],
            "privacy_requests": [_request(request) for request in respondent.privacy_requests.order_by("received_on", "pk")],
        }


def _respondent(respondent: Respondent) -> dict:
    return {
        "name": respondent.name,
        "email": respondent.email,
        "company": respondent.company,
        "country": respondent.country,
        "language": respondent.locale,
        "first_seen": _when(respondent.created_at),
        "objected_to_contact": _when(respondent.objected_at),
        "processing_restricted": _when(respondent.restricted_at),
        "erased": _when(respondent.erased_at),
        "anonymised": _when(respondent.anonymised_at),
    }


def _response(response: Response) -> dict:
    return {
        "source": response.source.name,
        "id": response.external_id,
        "metric": response.metric,
        "score": response.score,
        "band": str(response.band.label),
        "comment": response.comment,
        "page_url": response.page_url,
        "product": response.product,
        "channel": response.channel,
        "language": response.locale,
        "answered_at": _when(response.answered_at),
        "received_at": _when(response.received_at),
    }


def _case(case: Case, staff: _Staff) -> dict:
    events = list(Event.objects.filter(case=case).select_related("actor"))
    # Staff are named in events by user id (or, in older events, user name): both become a role.
    named = {value for event in events for key in STAFF_KEYS.get(event.kind, ()) if (value := event.data.get(key))}
    users = get_user_model().objects.filter(
        Q(pk__in=[value for value in named if isinstance(value, int)]) | Q(username__in=[value for value in named if isinstance(value, str)])
    )
    people = {key: user for user in users for key in (user.pk, user.get_username())}
    return {
        "number": case.reference,
        "status": case.status,
        "team": case.team.name,
        "priority": case.get_priority_display(),
        "product": case.product,
        "opened_at": _when(case.created_at),
        "first_contacted_at": _when(case.first_contacted_at),
        "resolved_at": _when(case.resolved_at),
        "closed_at": _when(case.closed_at),
        "close_reason": case.close_reason,
        "root_causes": [tag.name for tag in case.tags.all()],
        "action_taken": case.action_summary,
        "outcome": case.outcome,
        "contacts": [
            {
                "channel": contact.channel,
                "direction": contact.direction,
                "outcome": contact.outcome,
                "summary": contact.summary,
                "when": _when(contact.contacted_at),
                "by": staff.describe(contact.created_by, case),
            }
            for contact in Contact.objects.filter(case=case).select_related("created_by")
        ],
        "notes": [
            {"text": event.data.get("text", ""), "when": _when(event.created_at), "by": staff.describe(event.actor, case)}
            for event in events
            if event.kind == Event.Kind.NOTE
        ],
        "notifications": [
            {
                "to": notification.recipient,
                "subject": notification.subject,
                "body": notification.body,
                "language": notification.locale,
                "status": notification.status,
                "why_not_sent": notification.suppressed_reason,
                "queued_at": _when(notification.queued_at),
                "sent_at": _when(notification.sent_at),
                "by": staff.describe(notification.created_by, case),
            }
            for notification in Notification.objects.filter(case=case).select_related("created_by").order_by("queued_at")
        ],
        "events": [_event(event, case, staff, people) for event in events],
    }


def _event(event: Event, case: Case, staff: _Staff, people: dict) -> dict:
    details = {}
    for key, value in event.data.items():
        if key in STAFF_KEYS.get(event.kind, ()):
            value = staff.describe(people.get(value), case) if value else None
        elif key not in SAFE_EVENT_KEYS | {"text", "received"}:
            continue
        details[key] = value
    return {"kind": event.kind, "when": _when(event.created_at), "by": staff.describe(event.actor, case), "details": details}


def _request(request: PrivacyRequest) -> dict:
    return {
        "kind": request.kind,
        "received_on": request.received_on.isoformat(),
        "answer_due_on": request.deadline.isoformat(),
        "status": request.status,
        "what_was_done": request.action,
        "fields_corrected": request.fields,
        "handled_at": _when(request.handled_at),
    }


@transaction.atomic
def export_respondent(
    *, respondent: Respondent, actor, kind: str = PrivacyRequest.Kind.ACCESS, channel=PrivacyRequest.Channel.DESK,
    received_on: datetime.date | None = None,
) -> tuple[dict, PrivacyRequest]:
    """The export, and the access or portability request it answers, recorded. A restricted person
    may still have their data (the export is for them)."""
    if kind not in (PrivacyRequest.Kind.ACCESS, PrivacyRequest.Kind.PORTABILITY):
        kind = PrivacyRequest.Kind.ACCESS
    request = fulfil(
        respondent=respondent, kind=kind, action=PrivacyRequest.Action.EXPORTED, actor=actor, channel=channel, received_on=received_on
    )
    return build_export(respondent, kind=kind), request


def export_filename(respondent: Respondent, kind: str) -> str:
    return f"respondent-{respondent.pk}-{kind}-{timezone.localdate():%Y-%m-%d}.json"
