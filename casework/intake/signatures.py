"""Checking that a webhook came from the tool that holds the secret, over the raw body and in constant
time, before anything is parsed. Each tool has its own scheme:

- Standard Webhooks (Formbricks ≥ 4.6, Casework's own API): HMAC-SHA256 keyed with the base64 part of
  a `whsec_` secret over "<webhook-id>.<webhook-timestamp>.<body>", sent as `webhook-signature:
  v1,<base64>` (several space-separated while a secret is rotated); the timestamp must be within five
  minutes of now, which is what makes a captured delivery useless later.
- Delighted: `X-Delighted-Webhook-Signature: sha256=<hex HMAC-SHA256 of the body>` keyed with the
  account's API key.
- Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>` keyed with the secret set on
  the webhook.

The `standardwebhooks` package from PyPI computes the same signatures (the tests check ours against
it), but lets a malformed header escape as ValueError or binascii.Error and reads timestamps leniently
("1674087231.9" is signed as "1674087231"); these few lines refuse anything malformed instead."""

import base64
import binascii
import hashlib
import hmac
import re
import time

from casework.feedback.webhook_secrets import standard_key

TOLERANCE_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_DIGEST_BASE64 = re.compile(r"^[A-Za-z0-9+/]{43}=$")
_DIGEST_HEX = re.compile(r"^[0-9a-fA-F]{64}$")


class SignatureError(Exception):
    """Why a delivery is refused; the message is safe to send back."""


def sign_standard(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = standard_key(secret)
    if key is None:
        raise SignatureError("The secret is not a whsec_ secret.")
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify_standard(secrets: list[str], headers, body: bytes, *, now: float | None = None) -> str:
    """Returns the secret that signed the delivery; raises SignatureError otherwise."""
    msg_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signature = headers.get("webhook-signature", "")
    if not (msg_id and timestamp and signature):
        raise SignatureError("Missing webhook-id, webhook-timestamp or webhook-signature.")
    if len(msg_id) > 200 or not msg_id.isprintable():
        raise SignatureError("webhook-id is not a short printable id.")
    if not _TIMESTAMP.match(timestamp):
        raise SignatureError("webhook-timestamp must be whole seconds since 1970.")
    if abs((time.time() if now is None else now) - int(timestamp)) > TOLERANCE_SECONDS:
        raise SignatureError("webhook-timestamp is more than five minutes away from now.")
    offered = [_decode(part.removeprefix("v1,"), _strict_base64) for part in signature.split() if part.startswith("v1,")]
    offered = [digest for digest in offered if digest is not None]
    for secret in secrets:
        key = standard_key(secret)
        if key is None:
            continue
        expected = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
        # Every offered signature is compared, so the time taken says nothing about which one was close.
        if _any_equal(expected, offered):
            return secret
    raise SignatureError("No valid v1 signature.")


def verify_delighted(secrets: list[str], headers, body: bytes) -> str:
    return _verify_prefixed(secrets, headers.get("X-Delighted-Webhook-Signature", ""), body, _DIGEST_HEX, bytes.fromhex)


def verify_typeform(secrets: list[str], headers, body: bytes) -> str:
    return _verify_prefixed(secrets, headers.get("Typeform-Signature", ""), body, _DIGEST_BASE64, _strict_base64)


def sign_delighted(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sign_typeform(secret: str, body: bytes) -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _verify_prefixed(secrets, header: str, body: bytes, shape: re.Pattern, decode) -> str:
    algorithm, _equals, value = header.strip().partition("=")
    if algorithm != "sha256" or not shape.match(value):
        raise SignatureError("Missing or malformed signature header.")
    offered = [_decode(value, decode)]
    for secret in secrets:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).digest()
        if _any_equal(expected, offered):
            return secret
    raise SignatureError("The signature does not match.")


def _decode(value: str, decode) -> bytes | None:
    try:
        return decode(value)
    except (ValueError, binascii.Error):
        return None


def _strict_base64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


def _any_equal(expected: bytes, offered: list) -> bool:
    matched = False
    for digest in offered:
        matched |= hmac.compare_digest(expected, digest or b"")
    return matched
