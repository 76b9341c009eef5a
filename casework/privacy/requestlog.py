"""Writing the requests log. Every right the desk or a command exercises ends here, so the log is
complete however the request was answered."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.feedback.models import Respondent

from .models import PrivacyRequest, add_months

EARLIEST = datetime.date(2000, 1, 1)


class RequestError(Exception):
    """A request refused for a reason the privacy officer can act on; the message says which."""


def today() -> datetime.date:
    return timezone.localdate()


def check_received_on(received_on: datetime.date | None) -> datetime.date:
    """The day the person asked: today unless said otherwise, never in the future."""
    if received_on is None:
        return today()
    if received_on > today():
        raise RequestError(_("The day the request was received cannot be in the future."))
    if received_on < EARLIEST:
        raise RequestError(_("The day the request was received must be in the year 2000 or later."))
    return received_on


@transaction.atomic
def log_request(
    *, respondent: Respondent, kind: str, actor, received_on: datetime.date | None = None, channel: str = PrivacyRequest.Channel.DESK, note: str = ""
) -> PrivacyRequest:
    """Puts a request on the log, open, with its one-month deadline running from the day it was received."""
    if kind not in PrivacyRequest.Kind.values:
        raise RequestError(_("Choose the kind of request."))
    received_on = check_received_on(received_on)
    return PrivacyRequest.objects.create(
        kind=kind,
        respondent=respondent,
        received_on=received_on,
        due_on=add_months(received_on, 1),
        channel=channel,
        note=note.strip()[:2000],
        recorded_by=actor,
    )


def fulfil(
    *,
    respondent: Respondent,
    kind: str,
    action: str,
    actor,
    channel: str = PrivacyRequest.Channel.DESK,
    received_on: datetime.date | None = None,
    fields: list[str] | None = None,
    note: str = "",
) -> PrivacyRequest:
    """Records that a request of `kind` was answered by `action`: the person's oldest open request of
    that kind is marked handled, or, when none was logged, one is recorded as received and handled now.
    Must run in the transaction of the action itself, so that the log and the data never disagree."""
    now = timezone.now()
    request = (
        PrivacyRequest.objects.select_for_update()
        .open()
        .filter(respondent=respondent, kind=kind)
        .order_by("received_on", "pk")
        .first()
    )
    if request is None:
        received_on = check_received_on(received_on)
        request = PrivacyRequest(
            kind=kind, respondent=respondent, received_on=received_on, due_on=add_months(received_on, 1),
            channel=channel, recorded_by=actor, recorded_at=now,
        )
    request.status = PrivacyRequest.Status.DONE
    request.action = action
    request.fields = list(fields or [])
    request.note = note.strip()[:2000] or request.note
    request.handled_by = actor
    request.handled_at = now
    request.save()
    return request


@transaction.atomic
def extend_request(*, request: PrivacyRequest, actor, reason: str) -> PrivacyRequest:
    """Art. 12(3): once, by two further months, told to the person within the first month."""
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    reason = reason.strip()
    if not request.is_open:
        raise RequestError(_("This request has been answered already."))
    if request.extended_due_on:
        raise RequestError(_("The deadline was extended once already; it cannot be extended again."))
    if not reason:
        raise RequestError(_("Write the reason for the extension: the person must be told it."))
    if today() > request.due_on:
        raise RequestError(_("The one-month deadline has passed: it can only be extended before it ends."))
    request.extended_due_on = add_months(request.received_on, 3)
    request.extension_reason = reason[:2000]
    request.extended_by = actor
    request.save(update_fields=["extended_due_on", "extension_reason", "extended_by"])
    return request


@transaction.atomic
def refuse_request(*, request: PrivacyRequest, actor, reason: str) -> PrivacyRequest:
    """Closes a request without acting on it (e.g. the requester's identity could not be confirmed),
    with the reason that the person is told."""
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    reason = reason.strip()
    if not request.is_open:
        raise RequestError(_("This request has been answered already."))
    if not reason:
        raise RequestError(_("Write why the request is refused: the person must be told it."))
    request.status = PrivacyRequest.Status.REFUSED
    request.note = reason[:2000]
    request.handled_by = actor
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "note", "handled_by", "handled_at"])
    return request


def record_opt_out(sender, *, respondent: Respondent, **kwargs) -> None:
    """An objection made with the opt-out link in an e-mail is a request too, answered at once."""
    fulfil(
        respondent=respondent,
        kind=PrivacyRequest.Kind.OBJECTION,
        action=PrivacyRequest.Action.OBJECTED,
        actor=None,
        channel=PrivacyRequest.Channel.OPT_OUT,
    )
