"""Finding the person behind a new response (DESIGN.md, "Respondent")."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

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


def match_respondents(entries: list[tuple[Identity, object]]) -> list[Match]:
    """`match_respondent` for a whole batch of (identity, answered_at) in a handful of queries.
    Must run in a transaction; a clash with a concurrent writer surfaces as IntegrityError, and the
    caller then goes through the batch one by one."""
    fingerprints = {digest for identity, _when in entries for digest in identity_fingerprints(identity)}
    suppressed = set(Suppression.objects.filter(digest__in=fingerprints).values_list("digest", flat=True))
    by_id, by_email = _known_respondents(entries)
    matches: list[Match | None] = [None] * len(entries)
    new, dirty = [], {}
    # Oldest first, so that the newest answer's details are the ones that stay.
    for index in sorted(range(len(entries)), key=lambda i: entries[i][1]):
        identity, answered_at = entries[index]
        if identity.is_empty:
            matches[index] = Match(None, True)
            continue
        if suppressed.intersection(identity_fingerprints(identity)):
            matches[index] = Match(None, False)
            continue
        respondent = by_id.get(identity.external_id) or by_email.get(identity.email.strip().lower())
        if respondent is not None and (respondent.objected_at or respondent.restricted_at or respondent.erased_at):
            matches[index] = Match(respondent, False)
            continue
        if respondent is None:
            respondent = Respondent(external_id=identity.external_id, details_as_of=answered_at)
            new.append(respondent)
        elif respondent.pk:
            dirty[respondent.pk] = respondent
        _apply_details(respondent, identity, answered_at, by_email)
        if respondent.external_id:
            by_id[respondent.external_id] = respondent
        if respondent.email:
            by_email[respondent.email.lower()] = respondent
        matches[index] = Match(respondent, True)
    Respondent.objects.bulk_create(new)
    if dirty:
        Respondent.objects.bulk_update(list(dirty.values()), [*PERSONAL_FIELDS, "external_id", "details_as_of"])
    return matches


def _known_respondents(entries):
    ids = {identity.external_id for identity, _when in entries if identity.external_id}
    emails = {identity.email.strip().lower() for identity, _when in entries if identity.email}
    found = Respondent.objects.filter(external_id__in=ids) if ids else Respondent.objects.none()
    by_id = {respondent.external_id: respondent for respondent in found}
    by_email = {}
    if emails:
        by_lower = Respondent.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=emails)
        by_email = {respondent.email.lower(): respondent for respondent in by_lower}
    return by_id, by_email


def _apply_details(respondent, identity, answered_at, by_email) -> None:
    older = respondent.details_as_of and answered_at < respondent.details_as_of
    for name in PERSONAL_FIELDS:
        value = getattr(identity, name)
        if not value or (older and getattr(respondent, name)):
            continue
        if name == "email":
            owner = by_email.get(value.lower())
            if owner is not None and owner is not respondent:
                continue  # the address belongs to someone else; keep this person's own
        setattr(respondent, name, value)
    if not older:
        respondent.details_as_of = answered_at
    if not respondent.external_id and identity.external_id:
        respondent.external_id = identity.external_id
