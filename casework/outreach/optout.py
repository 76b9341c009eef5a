"""One-click opt-out (RFC 8058): a signed link per respondent that records an objection."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.models import Case, Event
from casework.cases.workflow import record_event
from casework.feedback.models import Respondent

from .models import Notification

SALT = "casework.outreach.optout"
OPT_OUT_LINK = "one-click opt-out"
# Sent in the transaction that records an objection made through the opt-out link, with `respondent`.
# The privacy app (a layer above, which outreach may not import) logs it as a handled request.
objection_received = Signal()


class BadOptOutLink(Exception):
    pass


def optout_token(respondent: Respondent) -> str:
    return signing.dumps({"r": respondent.pk}, salt=SALT, compress=True)


def optout_url(respondent: Respondent) -> str:
    return settings.CASEWORK_BASE_URL + reverse("outreach:optout", args=[optout_token(respondent)])


def respondent_for_token(token: str) -> Respondent:
    max_age = datetime.timedelta(days=settings.CASEWORK_OPTOUT_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise BadOptOutLink("expired") from None
    except signing.BadSignature:
        raise BadOptOutLink("invalid") from None
    respondent = Respondent.objects.filter(pk=data.get("r") if isinstance(data, dict) else None).first()
    if respondent is None:
        raise BadOptOutLink("invalid")
    return respondent


@transaction.atomic
def record_objection(respondent: Respondent, *, how: str, actor=None) -> bool:
    """Marks the person as objecting to contact (once), says so on all their cases, closed ones too
    (whoever reopens or reads one must see it), and suppresses the e-mails still queued for them. The
    opt-out link and the privacy desk both come here, so an objection is the same state however it
    was made."""
    updated = Respondent.objects.filter(pk=respondent.pk, objected_at__isnull=True).update(objected_at=timezone.now())
    if updated:
        for case in Case.objects.filter(respondent=respondent):
            record_event(case=case, kind=Event.Kind.PRIVACY, actor=actor, action="objected", how=how)
        suppress_queued(respondent, reason=_("The respondent objected to contact."))
        if how == OPT_OUT_LINK:
            objection_received.send(sender=record_objection, respondent=respondent)
    return bool(updated)


def suppress_queued(respondent: Respondent, *, reason: str) -> int:
    """Queued closing e-mails to this person will not go (delivery checks again just before sending;
    this makes the outbox say so at once)."""
    queued = list(Notification.objects.filter(respondent=respondent, status=Notification.Status.QUEUED).select_related("case"))
    Notification.objects.filter(pk__in=[n.pk for n in queued], status=Notification.Status.QUEUED).update(
        status=Notification.Status.SUPPRESSED, suppressed_reason=reason[:200], next_attempt_at=None, claimed_until=None
    )
    for notification in queued:
        record_event(case=notification.case, kind=Event.Kind.NOTIFICATION, notification=notification.pk, status=Notification.Status.SUPPRESSED)
    return len(queued)
