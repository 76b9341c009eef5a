"""One-click opt-out (RFC 8058): a signed link per respondent that records an objection."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case, Event
from casework.cases.workflow import record_event
from casework.feedback.models import Respondent

SALT = "casework.outreach.optout"


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
def record_objection(respondent: Respondent, *, how: str) -> bool:
    """Marks the person as objecting to contact (once) and says so on all their cases, closed ones too:
    whoever reopens or reads one must see it."""
    updated = Respondent.objects.filter(pk=respondent.pk, objected_at__isnull=True).update(objected_at=timezone.now())
    if updated:
        for case in Case.objects.filter(respondent=respondent):
            record_event(case=case, kind=Event.Kind.PRIVACY, action="objected", how=how)
    return bool(updated)
