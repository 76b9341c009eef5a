"""API tokens: made here, stored as digests, checked here."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken, Source

TOKEN_PREFIX = "cw_"


def _digest(token: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


SCOPES = ("ingest", "read")


class TokenRefused(ValueError):
    pass


@transaction.atomic
def create_api_token(*, source: Source | None = None, label: str = "", scopes=("ingest",), teams=()) -> tuple[ApiToken, str]:
    """Returns the stored token and the plaintext, which exists only in this return value."""
    scopes = set(scopes)
    if not scopes or scopes - set(SCOPES):
        raise TokenRefused(f"Scopes are {', '.join(SCOPES)}.")
    if "ingest" in scopes and source is None:
        raise TokenRefused("An ingest token belongs to a source: its responses are stored as coming from it.")
    if "read" in scopes and not teams:
        raise TokenRefused("A read token needs at least one team: it sees what a member of its teams sees.")
    prefix = secrets.token_hex(4)
    plaintext = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        source=source, label=label, prefix=prefix, digest=_digest(plaintext), can_ingest="ingest" in scopes, can_read="read" in scopes
    )
    token.teams.set(teams)
    return token, plaintext


def reader_for_token(plaintext: str) -> ApiToken | None:
    """The token with the read scope, or None; its `team_ids` are read for this request."""
    token = (
        ApiToken.objects.filter(digest=_digest(plaintext), revoked_at__isnull=True, can_read=True)
        .exclude(source__is_active=False)
        .first()
    )
    if token is None:
        return None
    token.team_ids = list(token.teams.values_list("pk", flat=True))
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def source_for_token(plaintext: str) -> Source | None:
    token = (
        ApiToken.objects.select_related("source")
        .filter(digest=_digest(plaintext), revoked_at__isnull=True, source__is_active=True, can_ingest=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.source


def revoke_api_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
