"""Turning what a tool says about one response into the ingestion API's item (DESIGN.md, "Ingestion
API"), through the source's field mappings. Connectors only translate: validation, storage, rules and
cases are the ones every response goes through (validation.py, ingestion.py, revisions.py)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casework.feedback.countries import ISO_3166_ALPHA_2
from casework.feedback.models import SHORT_SCALES, FieldMapping, Source

Target = FieldMapping.Target
# Where each single-value target goes in the API's item.
_ITEM_FIELDS = {Target.PRODUCT: "product", Target.LOCALE: "locale"}
_PERSON_FIELDS = {
    Target.RESPONDENT_ID: "id",
    Target.RESPONDENT_EMAIL: "email",
    Target.RESPONDENT_NAME: "name",
    Target.RESPONDENT_COMPANY: "company",
    Target.RESPONDENT_COUNTRY: "country",
}


class MappingError(Exception):
    """The delivery cannot be turned into a response until someone fixes the mapping."""


class NotYet(Exception):
    """A partial response that does not carry its score yet: nothing to store until a later delivery."""


@dataclass
class Translated:
    event: str
    items: list[dict] = field(default_factory=list)
    # Why a delivery stores nothing although nothing is wrong (an unsubscribe, a test ping).
    ignored: str = ""


@dataclass
class Answer:
    """The tool's own standard fields for one response; the mappings fill in or override the rest."""

    external_id: str
    answered_at: datetime.datetime | None
    survey: str = ""
    metric: str = ""
    score: object = None
    comment: str = ""
    channel: str = ""
    url: str = ""
    locale: str = ""
    person: dict = field(default_factory=dict)
    # Whether the tool sends a response before its score is answered (Formbricks, Typeform partials).
    may_be_partial: bool = True


def load_mappings(source: Source) -> list[FieldMapping]:
    return list(source.mappings.all())


def build_item(source: Source, mappings: list[FieldMapping], answer: Answer, lookup: Callable[[str], object]) -> dict:
    """`lookup(key)` finds an answer by the key a mapping names (None when absent)."""
    lines = [line for line in mappings if line.survey in ("", answer.survey)]
    # Lines for this very survey win over the ones for every survey.
    lines.sort(key=lambda line: line.survey == "")
    metric, score = _score(lines, answer, lookup)
    item = {
        "id": answer.external_id,
        "metric": metric,
        "score": score,
        "answered_at": answer.answered_at.isoformat() if answer.answered_at else None,
        "comment": _comment(lines, answer, lookup),
        "channel": answer.channel,
        "url": answer.url,
        "locale": answer.locale,
        "product": source.default_product,
    }
    person = {name: value for name, value in answer.person.items() if value}
    if person.get("country") and person["country"] not in ISO_3166_ALPHA_2:
        del person["country"]  # a tool's guess from the IP address is no reason to refuse the answer
    for target, name in _ITEM_FIELDS.items():
        value = _first(lines, target, lookup)
        if value:
            item[name] = value
    for target, name in _PERSON_FIELDS.items():
        value = _first(lines, target, lookup)
        if value:
            person[name] = value
    if person:
        item["respondent"] = person
    return {name: value for name, value in item.items() if value not in (None, "")}


def _score(lines, answer: Answer, lookup):
    score_lines = [line for line in lines if line.target == Target.SCORE]
    for line in score_lines:
        value = lookup(line.key) if line.key else None
        if _empty(value):
            continue
        return line.metric, _convert(as_number(value), line)
    if answer.metric:
        return answer.metric, as_number(answer.score)
    if score_lines and answer.may_be_partial:
        raise NotYet(_("The score question has not been answered yet."))
    raise MappingError(
        _("No score mapping for survey %(survey)s: add a field mapping for the question that asks for the score.")
        % {"survey": answer.survey or "?"}
    )


def _convert(score, line: FieldMapping):
    if not line.scale or not isinstance(score, int):
        return score
    converted = SHORT_SCALES.get((line.metric, line.scale), {}).get(score)
    if converted is None:
        raise MappingError(
            _("Score %(score)s is not on a %(points)d-point scale.") % {"score": score, "points": line.scale}
        )
    return converted


def _comment(lines, answer: Answer, lookup) -> str:
    parts = [as_text(lookup(line.key)) for line in lines if line.target == Target.COMMENT and line.key]
    parts = [part for part in parts if part]
    return "\n\n".join(parts) if parts else answer.comment


def _first(lines, target, lookup) -> str:
    for line in lines:
        if line.target != target:
            continue
        value = as_text(lookup(line.key)) if line.key else ""
        if value or line.value:
            return value or line.value
    return ""


def as_number(value):
    """Tools send scores as numbers, or as strings of digits ("9"); anything else is left for
    validation to refuse with its usual message."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 3:
        return int(value.strip())
    return value


def as_text(value) -> str:
    if _empty(value):
        return ""
    if isinstance(value, list):
        return ", ".join(as_text(part) for part in value if not _empty(part))
    if isinstance(value, dict):
        return ""
    return str(value).strip()


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def from_unix(value) -> datetime.datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def from_iso(value) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None
