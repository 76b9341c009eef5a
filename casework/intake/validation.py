"""Strict validation of one incoming response (DESIGN.md, "Ingestion API"), shared by the JSON API
and the CSV import. Errors are keyed by field ("respondent.email" for nested ones) so that a survey
tool can tell its user exactly what to fix."""

import datetime
import math
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from casework.feedback.contact_details import name_problem
from casework.feedback.countries import ISO_3166_ALPHA_2
from casework.feedback.metrics import SCORE_RANGES
from casework.feedback.models import Response
from casework.feedback.respondents import Identity

ITEM_FIELDS = {"id", "metric", "score", "comment", "answered_at", "channel", "product", "url", "locale", "respondent"}
RESPONDENT_FIELDS = {"id", "email", "name", "company", "country"}
CHANNELS = set(Response.Channel.values)
# Single-line text: no control characters at all (CR/LF would let a name inject e-mail headers), and
# no direction overrides or isolates, which would make a name, product or link read as something else
# ("Anna \u202egpj.exe") wherever it stands inside a sentence, a list or an e-mail header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Before this, an answer is a data error (and years near 1 overflow when converted between zones).
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class Item:
    external_id: str
    metric: str
    score: int
    answered_at: datetime.datetime
    comment: str = ""
    channel: str = ""
    product: str = ""
    url: str = ""
    locale: str = ""
    identity: Identity = field(default_factory=Identity)


class _Errors(dict):
    def add(self, name, message):
        self.setdefault(name, []).append(str(message))


def validate_item(raw, *, now: datetime.datetime | None = None) -> tuple[Item | None, dict[str, list[str]]]:
    """(the cleaned item, {}) or (None, {field: [messages]})."""
    errors = _Errors()
    if not isinstance(raw, dict):
        errors.add("response", _("Each response must be a JSON object."))
        return None, errors
    for name in sorted(set(raw) - ITEM_FIELDS):
        errors.add(name, _("Unknown field."))
    values = {
        "external_id": _line(raw, "id", errors, required=True, max_length=200),
        "metric": _choice(raw, "metric", SCORE_RANGES.keys(), errors, required=True),
        "comment": _text(raw, "comment", errors),
        "answered_at": _moment(raw, "answered_at", errors, now or datetime.datetime.now(datetime.UTC)),
        "channel": _choice(raw, "channel", CHANNELS, errors),
        "product": _line(raw, "product", errors, max_length=100),
        "url": _url(raw, "url", errors),
        "locale": _locale(raw, "locale", errors),
    }
    values["score"] = _score(raw, values["metric"], errors)
    identity = _identity(raw.get("respondent"), values["locale"], errors)
    if errors:
        return None, dict(errors)
    return Item(identity=identity, **values), {}


def _present(raw, name):
    return raw.get(name) not in (None, "")


def _line(raw, name, errors, *, required=False, max_length=200, label=None):
    label = label or name
    value = raw.get(name)
    if value in (None, ""):
        if required:
            errors.add(label, _("This field is required."))
        return ""
    if not isinstance(value, str):
        errors.add(label, _("Must be a string."))
        return ""
    value = value.strip()
    if not _encodable(value):
        errors.add(label, _("Must be valid Unicode text."))
    elif _CONTROL.search(value):
        errors.add(label, _("Must be one line without control characters (no line breaks, tabs or NUL)."))
    elif len(value) > max_length:
        errors.add(label, _("At most %(max)d characters.") % {"max": max_length})
    elif required and not value:
        errors.add(label, _("This field is required."))
    return value


def _text(raw, name, errors):
    value = raw.get(name)
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        errors.add(name, _("Must be a string."))
        return ""
    if not _encodable(value):
        errors.add(name, _("Must be valid Unicode text."))
    elif "\x00" in value:
        errors.add(name, _("Must not contain NUL characters."))
    limit = settings.CASEWORK_COMMENT_MAX_LENGTH
    if len(value) > limit:
        errors.add(name, _("At most %(max)d characters.") % {"max": limit})
    return value.strip()


def _choice(raw, name, allowed, errors, *, required=False):
    value = raw.get(name)
    if value in (None, ""):
        if required:
            errors.add(name, _("This field is required."))
        return ""
    if not isinstance(value, str) or value not in allowed:
        errors.add(name, _("Must be one of: %(choices)s.") % {"choices": ", ".join(sorted(allowed))})
        return ""
    return value


def _score(raw, metric, errors):
    value = raw.get("score")
    if value is None:
        errors.add("score", _("This field is required."))
        return None
    # bool is an int in Python, and 3.0 or "3" are not what the survey asked for.
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and not math.isfinite(value):
            errors.add("score", _("Must be a whole number, not NaN or infinity."))
        else:
            errors.add("score", _("Must be a whole number (a JSON integer, not a string or a decimal)."))
        return None
    if metric:
        low, high = SCORE_RANGES[metric]
        if not low <= value <= high:
            errors.add(
                "score", _("Must be from %(low)d to %(high)d for %(metric)s.") % {"low": low, "high": high, "metric": metric}
            )
    return value


def _moment(raw, name, errors, now):
    value = raw.get(name)
    if value in (None, ""):
        errors.add(name, _("This field is required."))
        return None
    if not isinstance(value, str):
        errors.add(name, _("Must be an ISO 8601 date and time string."))
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        errors.add(name, _("Must be an ISO 8601 date and time, e.g. 2026-11-20T10:15:00Z."))
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        errors.add(name, _("Must include a time zone, e.g. Z or +02:00."))
        return None
    try:
        too_early = moment < EARLIEST
    except OverflowError:
        too_early = True
    if too_early:
        errors.add(name, _("Must be in the year 2000 or later."))
        return None
    if moment > now + datetime.timedelta(seconds=settings.CASEWORK_CLOCK_SKEW_SECONDS):
        errors.add(name, _("Must not be in the future."))
        return None
    return moment


def _url(raw, name, errors):
    value = _line(raw, name, errors, max_length=2000)
    if value and name not in errors:
        try:
            _url_validator(value)
        except ValidationError:
            errors.add(name, _("Must be an http or https URL."))
            return ""
    return value


def _locale(raw, name, errors):
    value = _line(raw, name, errors, max_length=10)
    if value and name not in errors:
        if not _LOCALE.match(value):
            errors.add(name, _("Must be a language tag such as lv or en-GB."))
            return ""
        value = value.replace("_", "-").lower()
    return value


def _identity(raw, locale, errors) -> Identity:
    if raw in (None, {}):
        return Identity(locale=locale)
    if not isinstance(raw, dict):
        errors.add("respondent", _("Must be a JSON object."))
        return Identity()
    for name in sorted(set(raw) - RESPONDENT_FIELDS):
        errors.add(f"respondent.{name}", _("Unknown field."))
    email = _line(raw, "email", errors, max_length=254, label="respondent.email")
    if email and "respondent.email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("respondent.email", _("Must be a valid e-mail address."))
    country = _line(raw, "country", errors, max_length=2, label="respondent.country").upper()
    if country and "respondent.country" not in errors and country not in ISO_3166_ALPHA_2:
        errors.add("respondent.country", _("Must be an ISO 3166-1 alpha-2 country code, e.g. LV."))
    return Identity(
        external_id=_line(raw, "id", errors, max_length=200, label="respondent.id"),
        email=email,
        name=_name(raw, "name", errors),
        company=_name(raw, "company", errors),
        country=country,
        locale=locale,
    )


def _name(raw, name, errors) -> str:
    """Names end up in e-mail headers: no encoded words a mail program would decode (issue 8)."""
    label = f"respondent.{name}"
    value = _line(raw, name, errors, max_length=200, label=label)
    if value and label not in errors:
        problem = name_problem(value)
        if problem:
            errors.add(label, problem)
    return value


def _encodable(value: str) -> bool:
    """JSON can carry lone surrogates ("\\ud800") that no database or e-mail can store."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
