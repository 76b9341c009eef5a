"""Finding the person behind a new response (DESIGN.md, "Respondent")."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import Respondent, Suppression

PERSONAL_FIELDS = ("email", "name", "company", "country", "locale")


@dataclass(frozen=True)
class Identity:
    """What a response says about who answered; any part may be empty."""

    external_id: str = ""
    email: str = ""
    name: str = ""
    company: str = ""
    country: str = ""
    locale: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.external_id or self.email)


@dataclass(frozen=True)
class Match:
    respondent: Respondent | None
    # False when the person objected, restricted processing or was erased: the response must then be
    # stored without personal data.
    may_store_personal_data: bool


def fingerprint(value: str) -> str:
    normalised = value.strip().casefold()
    return hashlib.sha256(f"{settings.SECRET_KEY}:{normalised}".encode()).hexdigest()


def identity_fingerprints(identity: Identity) -> list[str]:
    return [fingerprint(value) for value in (identity.external_id, identity.email) if value]


def find_respondent(identity: Identity) -> Respondent | None:
    if identity.external_id:
        found = Respondent.objects.filter(external_id=identity.external_id).first()
        if found is not None:
            return found
    if identity.email:
        return Respondent.objects.filter(email__iexact=identity.email.strip()).first()
    return None


def match_respondent(identity: Identity, *, answered_at) -> Match:
    """The respondent for `identity`, created or brought up to date from this (newest) response,
    unless the person has objected, restricted processing or been erased."""
    if identity.is_empty:
        return Match(None, True)
    if Suppression.objects.filter(digest__in=identity_fingerprints(identity)).exists():
        return Match(None, False)
    respondent = find_respondent(identity)
    if respondent is not None and (respondent.objected_at or respondent.restricted_at or respondent.erased_at):
        return Match(respondent, False)
    values = {field: getattr(identity, field) for field in PERSONAL_FIELDS if getattr(identity, field)}
    if respondent is None:
        try:
            with transaction.atomic():
                respondent = Respondent.objects.create(
                    external_id=identity.external_id, details_as_of=answered_at, **values
                )
        except IntegrityError:
            # Someone else's request created this person a moment ago.
            respondent = find_respondent(identity)
            return Match(respondent, True) if respondent else Match(None, True)
        return Match(respondent, True)
    if respondent.details_as_of and answered_at < respondent.details_as_of:
        values = {field: value for field, value in values.items() if not getattr(respondent, field)}
    else:
        values["details_as_of"] = answered_at
    if not respondent.external_id and identity.external_id:
        values["external_id"] = identity.external_id
    changed = {field: value for field, value in values.items() if getattr(respondent, field) != value}
    if changed:
        for field, value in changed.items():
            setattr(respondent, field, value)
        try:
            with transaction.atomic():
                respondent.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            # The new e-mail or id belongs to another respondent; keep this one as it was.
            respondent.refresh_from_db()
    return Match(respondent, True)
