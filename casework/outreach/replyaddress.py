"""The address respondents reply to: `reply+<notification>-<signature>@<CASEWORK_REPLY_DOMAIN>`.

The signature is an HMAC keyed with SECRET_KEY (a salt of its own), so nobody can make the address of
another case by changing the number. It is written in lower-case base32 because mail systems may
change the case of a local part on the way back (RFC 5321 lets them; some do), and a signature that
only survives exact case would refuse real replies."""

import base64
import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "casework.outreach.reply-address"
PREFIX = "reply+"
# 100 bits of signature: far beyond guessing, and the address stays under the 64-character local part.
SIGNATURE_CHARS = 20
ADDRESS = re.compile(r"reply\+([0-9a-z]{1,12})-([a-z2-7]{%d})@(.+)" % SIGNATURE_CHARS, re.IGNORECASE)


def reply_domain() -> str:
    return settings.CASEWORK_REPLY_DOMAIN.strip().lower()


def _signature(notification_id: int) -> str:
    digest = salted_hmac(SALT, str(notification_id), algorithm="sha256").digest()
    return base64.b32encode(digest).decode().lower()[:SIGNATURE_CHARS]


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def reply_address(notification_id: int) -> str:
    """The reply address of one notification, or "" when no reply domain is configured."""
    domain = reply_domain()
    if not domain:
        return ""
    return f"{PREFIX}{_base36(notification_id)}-{_signature(notification_id)}@{domain}"


def looks_like_reply_address(address: str) -> bool:
    """Addressed to our reply domain with the reply prefix, whether or not the signature is right."""
    domain = reply_domain()
    local, _at, host = address.strip().rpartition("@")
    return bool(domain) and host.lower() == domain and local.lower().startswith(PREFIX)


def notification_id_for(address: str) -> int | None:
    """The notification a reply address was made for, or None when it is not one of ours or its
    signature does not match (a forged or mistyped address)."""
    match = ADDRESS.fullmatch(address.strip())
    if match is None or match[3].lower() != reply_domain():
        return None
    try:
        notification_id = int(match[1], 36)
    except ValueError:
        return None
    if not constant_time_compare(_signature(notification_id), match[2].lower()):
        return None
    return notification_id
