"""How a person's contact details are compared and checked, in one place for intake, the admin,
privacy requests and suppression fingerprints."""

import re
import unicodedata
from email.header import decode_header

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# RFC 2047 encoded words ("=?UTF-8?Q?...?="): a mail program decodes them inside a header, so a name
# carrying one could smuggle a line break or another address into the e-mail we send.
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[bBqQ]\?[^?\s]*\?=")
# Direction overrides and isolates too: a name is shown inside sentences and e-mail headers, where one
# would reorder what follows it.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def email_key(address: str) -> str:
    """The form in which two spellings of one address compare equal: the local part case-folded as
    DESIGN.md asks, the domain in its ASCII (IDNA) form, so that `x@bücher.example` and
    `x@xn--bcher-kva.example` are one person and one suppression fingerprint."""
    address = address.strip()
    if "@" not in address:
        return address.lower()
    local, _at, domain = address.rpartition("@")
    domain = domain.rstrip(".").lower()
    try:
        ascii_domain = ".".join(
            label.encode("idna").decode("ascii") if label and not label.isascii() else label
            for label in domain.split(".")
        )
    except UnicodeError:
        ascii_domain = domain  # not a valid IDN; compare it as written
    return f"{local.lower()}@{ascii_domain.lower()}"


# Letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i"})


def search_key(*parts: str) -> str:
    """Text as the privacy desk compares it: without diacritics and case, so that "berzina" finds
    "Bērziņa" and "BĒRZIŅA" alike, on SQLite and PostgreSQL without database extensions."""
    text = " ".join(part for part in parts if part).translate(_UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def name_problem(value: str) -> str:
    """Why `value` cannot be a person's name or company (shown in e-mail headers), or "" if it can."""
    if _CONTROL.search(value):
        return str(_("Must be one line without control characters (no line breaks, tabs or NUL)."))
    if _ENCODED_WORD.search(value) or _decodes_to_control(value):
        return str(_("Must be plain text, not an e-mail encoded word (=?…?=)."))
    return ""


def _decodes_to_control(value: str) -> bool:
    if "=?" not in value:
        return False
    try:
        parts = decode_header(value)
    except Exception:  # noqa: BLE001 - anything the decoder chokes on is not a plain name either
        return True
    for text, charset in parts:
        decoded = text.decode(charset or "ascii", "replace") if isinstance(text, bytes) else text
        if _CONTROL.search(decoded):
            return True
    return False


def validate_person_name(value: str) -> None:
    """Model field validator, so the admin and any ModelForm refuse what intake refuses."""
    problem = name_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_name")
