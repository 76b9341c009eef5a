"""Rectification, restriction and objection (GDPR Art. 16, 18, 21). Each is one transaction that
changes the data, writes an Event on every case of the person and records the request."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases import search
from casework.cases.models import Case, Event
from casework.cases.workflow import record_events
from casework.feedback.contact_details import email_key, name_problem
from casework.feedback.countries import ISO_3166_ALPHA_2
from casework.feedback.models import Respondent
from casework.outreach.models import Notification
from casework.outreach.optout import record_objection, suppress_queued

from .models import PrivacyRequest
from .requestlog import RequestError, fulfil

RECTIFIABLE = ("name", "email", "company", "country", "locale")
_LOCALE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
DESK = "privacy desk"


class RectificationRefused(RequestError):
    """Corrections that cannot be stored; `errors` says which field and why."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(f"{name}: {message}" for name, message in errors.items()))


def record_privacy_event(respondent: Respondent, *, actor, action: str, **data) -> None:
    """A line on the timeline of every case of the person, as any other change to a case."""
    now = timezone.now()
    record_events(
        [
            Event(case_id=case_id, kind=Event.Kind.PRIVACY, actor=actor, created_at=now, data={"action": action, **data})
            for case_id in Case.objects.filter(respondent=respondent).values_list("pk", flat=True)
        ]
    )


def locked(respondent: Respondent) -> Respondent:
    """The person's row, locked until the transaction ends: two privacy actions at once queue up."""
    return Respondent.objects.select_for_update().get(pk=respondent.pk)


def clean_changes(respondent: Respondent, changes: dict[str, str]) -> dict[str, str]:
    """The corrections that differ from what is held, checked as intake checks them."""
    errors, cleaned = {}, {}
    for name, value in changes.items():
        if name not in RECTIFIABLE:
            errors[name] = _("This cannot be corrected here.")
            continue
        value = (value or "").strip()
        if name in ("name", "company"):
            problem = name_problem(value)
            if problem or len(value) > 200:
                errors[name] = problem or _("At most %(max)d characters.") % {"max": 200}
        elif name == "email" and value:
            try:
                validate_email(value)
            except ValidationError:
                errors[name] = _("Must be a valid e-mail address.")
            else:
                if Respondent.objects.filter(email_key=email_key(value)).exclude(pk=respondent.pk).exists():
                    errors[name] = _("Another respondent has this address: ask the person, the two records are not merged automatically.")
        elif name == "country":
            value = value.upper()
            if value and value not in ISO_3166_ALPHA_2:
                errors[name] = _("Must be an ISO 3166-1 alpha-2 country code, e.g. LV.")
        elif name == "locale":
            value = value.replace("_", "-").lower()
            if value and not _LOCALE.match(value):
                errors[name] = _("Must be a language tag such as lv or en-GB.")
        if name not in errors and value != getattr(respondent, name):
            cleaned[name] = value
    if errors:
        raise RectificationRefused(errors)
    return cleaned


@transaction.atomic
def rectify(
    *, respondent: Respondent, actor, changes: dict[str, str], channel=PrivacyRequest.Channel.DESK, received_on: datetime.date | None = None
) -> PrivacyRequest:
    """Corrects the person's details everywhere they are copied: the respondent and the closing
    e-mails still queued (which then go to the corrected address). The Event and the request name
    the fields that changed, never their old values."""
    respondent = locked(respondent)
    if respondent.erased_at:
        raise RequestError(_("This person's data was erased: there is nothing to correct."))
    changed = clean_changes(respondent, changes)
    if not changed:
        raise RequestError(_("Nothing to correct: every value is the same as the one held."))
    for name, value in changed.items():
        setattr(respondent, name, value)
    respondent.save(update_fields=[*changed, "updated_at"])
    search.refresh_respondents([respondent.pk])
    if "email" in changed:
        Notification.objects.filter(respondent=respondent, status=Notification.Status.QUEUED).update(recipient=respondent.email)
    fields = sorted(changed)
    record_privacy_event(respondent, actor=actor, action="rectified", fields=fields)
    return fulfil(
        respondent=respondent, kind=PrivacyRequest.Kind.RECTIFICATION, action=PrivacyRequest.Action.RECTIFIED,
        actor=actor, channel=channel, received_on=received_on, fields=fields,
    )


@transaction.atomic
def restrict(*, respondent: Respondent, actor, channel=PrivacyRequest.Channel.DESK, received_on: datetime.date | None = None, note: str = "") -> PrivacyRequest:
    """Freezes processing (Art. 18): the workflow refuses every change on the person's cases, no
    e-mail is queued or sent, and the cases leave the work queues, until the restriction is lifted."""
    respondent = locked(respondent)
    if respondent.restricted_at:
        raise RequestError(_("Processing is already restricted for this person."))
    respondent.restricted_at = timezone.now()
    respondent.save(update_fields=["restricted_at", "updated_at"])
    suppress_queued(respondent, reason=_("Processing is restricted for this respondent."))
    record_privacy_event(respondent, actor=actor, action="restricted")
    return fulfil(
        respondent=respondent, kind=PrivacyRequest.Kind.RESTRICTION, action=PrivacyRequest.Action.RESTRICTED,
        actor=actor, channel=channel, received_on=received_on, note=note,
    )


@transaction.atomic
def lift_restriction(*, respondent: Respondent, actor, reason: str, channel=PrivacyRequest.Channel.DESK) -> PrivacyRequest:
    """Ends a restriction: an explicit act with its reason on the log (the person must be told before)."""
    respondent = locked(respondent)
    reason = reason.strip()
    if not respondent.restricted_at:
        raise RequestError(_("Processing is not restricted for this person."))
    if not reason:
        raise RequestError(_("Write why the restriction is lifted."))
    respondent.restricted_at = None
    respondent.save(update_fields=["restricted_at", "updated_at"])
    record_privacy_event(respondent, actor=actor, action="restriction_lifted")
    now = timezone.now()
    return PrivacyRequest.objects.create(
        kind=PrivacyRequest.Kind.RESTRICTION, respondent=respondent, received_on=timezone.localdate(now), due_on=timezone.localdate(now),
        status=PrivacyRequest.Status.DONE, action=PrivacyRequest.Action.LIFTED, note=reason[:2000], channel=channel,
        recorded_by=actor, recorded_at=now, handled_by=actor, handled_at=now,
    )


@transaction.atomic
def object_to_contact(*, respondent: Respondent, actor, channel=PrivacyRequest.Channel.DESK, received_on: datetime.date | None = None) -> PrivacyRequest:
    """The same state as the opt-out link records: no more contact, queued e-mails suppressed, open
    cases flagged, later answers stored without contact details."""
    respondent = locked(respondent)
    record_objection(respondent, how=DESK, actor=actor)
    return fulfil(
        respondent=respondent, kind=PrivacyRequest.Kind.OBJECTION, action=PrivacyRequest.Action.OBJECTED,
        actor=actor, channel=channel, received_on=received_on,
    )
