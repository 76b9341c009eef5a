"""Webhook signing secrets: made here for the tools that take ours (Casework's own signed API, Typeform),
pasted here for the tools that make their own (Formbricks, Delighted), and shown in full only once."""

import base64
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Source, SourceKind, WebhookSecret

STANDARD_PREFIX = "whsec_"
# Tools that make the secret themselves: Formbricks shows a whsec_ secret for each webhook, and
# Delighted signs with the account's private API key.
TOOL_MADE = {SourceKind.FORMBRICKS, SourceKind.DELIGHTED}


class SecretRefused(ValueError):
    pass


def create_webhook_secret(*, source: Source, label: str = "") -> tuple[WebhookSecret, str]:
    """A new random secret in the form the source's tool expects; returns it once, with the row."""
    if source.kind in TOOL_MADE:
        raise SecretRefused(
            _("%(kind)s makes its own secret: paste it with --from-stdin or under Webhook secrets → Add.")
            % {"kind": source.get_kind_display()}
        )
    if source.kind == SourceKind.TYPEFORM:
        # Typeform asks for "a random string"; hex survives every form field and shell.
        plaintext = secrets.token_hex(32)
    elif source.kind == SourceKind.CASEWORK:
        plaintext = STANDARD_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()
    else:
        raise SecretRefused(_("A %(kind)s source takes files, not webhooks.") % {"kind": source.get_kind_display()})
    return _store(source, plaintext, label), plaintext


def add_webhook_secret(*, source: Source, secret: str, label: str = "") -> WebhookSecret:
    """Keeps a secret the tool made, after checking it has the tool's form."""
    secret = check_pasted_secret(source=source, secret=secret)
    return _store(source, secret, label)


def check_pasted_secret(*, source: Source, secret: str) -> str:
    secret = secret.strip()
    if source.kind not in TOOL_MADE and source.kind not in (SourceKind.TYPEFORM, SourceKind.CASEWORK):
        raise SecretRefused(_("A %(kind)s source takes files, not webhooks.") % {"kind": source.get_kind_display()})
    if len(secret) < 16 or len(secret) > 500 or not secret.isprintable() or " " in secret:
        raise SecretRefused(_("That does not look like a secret: 16 to 500 characters without spaces."))
    if source.kind in (SourceKind.FORMBRICKS, SourceKind.CASEWORK) and standard_key(secret) is None:
        raise SecretRefused(_("A Standard Webhooks secret starts with whsec_ followed by base64."))
    return secret


def standard_key(secret: str) -> bytes | None:
    """The HMAC key of a Standard Webhooks secret: the base64 after "whsec_" (some tools drop the padding)."""
    body = secret.removeprefix(STANDARD_PREFIX)
    try:
        key = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except ValueError:
        return None
    return key or None


def revoke_webhook_secret(*, secret: WebhookSecret) -> None:
    WebhookSecret.objects.filter(pk=secret.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _store(source: Source, secret: str, label: str) -> WebhookSecret:
    return WebhookSecret.objects.create(source=source, secret=secret, hint=secret[:9], label=label[:100])
