"""API tokens: made here, stored as digests, checked here."""

import hashlib
import secrets

from django.utils import timezone

from .models import ApiToken, Source

TOKEN_PREFIX = "cw_"


def _digest(token: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(*, source: Source, label: str = "") -> tuple[ApiToken, str]:
    """Returns the stored token and the plaintext, which exists only in this return value."""
    prefix = secrets.token_hex(4)
    plaintext = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(source=source, label=label, prefix=prefix, digest=_digest(plaintext))
    return token, plaintext


def source_for_token(plaintext: str) -> Source | None:
    token = (
        ApiToken.objects.select_related("source")
        .filter(digest=_digest(plaintext), revoked_at__isnull=True, source__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.source


def revoke_api_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
