"""Finding the person behind a new response (DESIGN.md, "Respondent").

A survey tool's user id means something only inside that tool, so a person is found by (source, user
id) first, then by e-mail address across sources. Newer answers bring newer details (name, company,
country, language); the e-mail address, which closing e-mails go to, is never overwritten by an answer:
an address that disagrees with the one on record is a *conflict*, reported to the caller so that staff
see it on the case and decide."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction

from .contact_details import email_key
from .models import Respondent, RespondentIdentity, Source, Suppression

# Details a newer answer may bring up to date.
DETAIL_FIELDS = ("name", "company", "country", "locale")
EMAIL_CONFLICT = "email"


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

    @property
    def email_key(self) -> str:
        return email_key(self.email) if self.email else ""


@dataclass(frozen=True)
class Match:
    respondent: Respondent | None
    # False when the person objected, restricted processing or was erased: the response must then be
    # stored without personal data.
    may_store_personal_data: bool
    # What the answer said that disagrees with the person on record ("email"), for staff to resolve.
    conflicts: tuple[str, ...] = field(default=())


def fingerprint(value: str) -> str:
    """A keyed one-way hash: recognises a value again without keeping it."""
    normalised = value.strip().casefold()
    return hashlib.sha256(f"{settings.SECRET_KEY}:{normalised}".encode()).hexdigest()


def id_fingerprint(source_id: int, external_id: str) -> str:
    return fingerprint(f"id:{source_id}:{external_id}")


def email_fingerprint(address: str) -> str:
    return fingerprint(f"email:{email_key(address)}")


def identity_fingerprints(source: Source, identity: Identity) -> list[str]:
    digests = []
    if identity.external_id:
        digests.append(id_fingerprint(source.pk, identity.external_id))
    if identity.email:
        digests.append(email_fingerprint(identity.email))
    return digests


def respondent_fingerprints(respondent: Respondent) -> list[str]:
    """Everything that would recognise this person again: their address and every user id."""
    digests = [email_fingerprint(respondent.email)] if respondent.email else []
    digests += [id_fingerprint(source_id, external_id) for source_id, external_id in respondent.identities.values_list("source_id", "external_id")]
    return digests


def match_respondent(source: Source, identity: Identity, *, answered_at) -> Match:
    """The respondent for `identity`, created or brought up to date from this response."""
    try:
        with transaction.atomic():
            return match_respondents(source, [(identity, answered_at)])[0]
    except IntegrityError:
        # Another request created this person a moment ago; now they are found instead.
        with transaction.atomic():
            return match_respondents(source, [(identity, answered_at)])[0]


def match_respondents(source: Source, entries: list[tuple[Identity, object]]) -> list[Match]:
    """One Match per (identity, answered_at), in a handful of queries. Must run in a transaction; a
    clash with a concurrent writer surfaces as IntegrityError for the caller to retry."""
    known = _Known.load(source, [identity for identity, _when in entries])
    matches: list[Match | None] = [None] * len(entries)
    new_people, new_ids, dirty = [], [], {}
    # Oldest first, so that the newest answer's details are the ones that stay.
    for index in sorted(range(len(entries)), key=lambda i: entries[i][1]):
        identity, answered_at = entries[index]
        if identity.is_empty:
            matches[index] = Match(None, True)
            continue
        if known.suppressed.intersection(identity_fingerprints(source, identity)):
            matches[index] = Match(None, False)
            continue
        by_id = known.by_id.get(identity.external_id) if identity.external_id else None
        by_email = known.by_email.get(identity.email_key) if identity.email else None
        if any(person is not None and person.is_frozen for person in (by_id, by_email)):
            matches[index] = Match(by_id or by_email, False)
            continue
        respondent = by_id or by_email
        if respondent is None:
            respondent = Respondent(details_as_of=answered_at)
            new_people.append(respondent)
        elif respondent.pk:
            dirty[respondent.pk] = respondent
        conflicts = _apply_details(respondent, identity, answered_at, known)
        if identity.external_id and by_id is None:
            new_ids.append((identity.external_id, respondent))
            known.by_id[identity.external_id] = respondent
        matches[index] = Match(respondent, True, conflicts)
    for person in [*new_people, *dirty.values()]:
        person.derive_keys()
    Respondent.objects.bulk_create(new_people)
    RespondentIdentity.objects.bulk_create(
        [RespondentIdentity(source=source, external_id=external_id, respondent=person) for external_id, person in new_ids]
    )
    if dirty:
        Respondent.objects.bulk_update(list(dirty.values()), ["email", "email_key", "search_key", *DETAIL_FIELDS, "details_as_of"])
    return matches


@dataclass
class _Known:
    """The people a batch may be about, read once."""

    by_id: dict[str, Respondent]
    by_email: dict[str, Respondent]
    suppressed: set[str]

    @classmethod
    def load(cls, source: Source, identities: list[Identity]) -> "_Known":
        ids = {identity.external_id for identity in identities if identity.external_id}
        keys = {identity.email_key for identity in identities if identity.email}
        digests = {digest for identity in identities for digest in identity_fingerprints(source, identity)}
        links = RespondentIdentity.objects.filter(source=source, external_id__in=ids).select_related("respondent")
        by_id = {link.external_id: link.respondent for link in links} if ids else {}
        people = list(Respondent.objects.filter(email_key__in=keys)) if keys else []
        # The same person found both ways must be one object, or a batch would update two copies.
        same = {person.pk: person for person in by_id.values()}
        by_email = {person.email_key: same.get(person.pk, person) for person in people}
        suppressed = set(Suppression.objects.filter(digest__in=digests).values_list("digest", flat=True)) if digests else set()
        return cls(by_id, by_email, suppressed)


def _apply_details(respondent: Respondent, identity: Identity, answered_at, known: _Known) -> tuple[str, ...]:
    conflicts = ()
    key = identity.email_key
    if key and key != respondent.email_key:
        owner = known.by_email.get(key)
        if respondent.email_key or (owner is not None and owner is not respondent):
            conflicts = (EMAIL_CONFLICT,)  # never overwrite an address, never take someone else's
        else:
            respondent.email, respondent.email_key = identity.email, key
            known.by_email[key] = respondent
    older = respondent.details_as_of and answered_at < respondent.details_as_of
    for name in DETAIL_FIELDS:
        value = getattr(identity, name)
        if value and not (older and getattr(respondent, name)):
            setattr(respondent, name, value)
    if not older:
        respondent.details_as_of = answered_at
    return conflicts
