"""What each survey tool's webhook says, as the ingestion API's items."""

from django.conf import settings
from django.utils.translation import gettext as _

from casework.feedback.models import SourceKind

from ..jsonbody import BadJson, load_json
from . import delighted, formbricks, typeform
from .mapping import MappingError, NotYet, Translated, load_mappings

__all__ = ["MappingError", "NotYet", "Translated", "translate"]

TRANSLATORS = {SourceKind.FORMBRICKS: formbricks.translate, SourceKind.DELIGHTED: delighted.translate, SourceKind.TYPEFORM: typeform.translate}


def translate(source, body: bytes) -> Translated:
    payload = parse(body)
    if source.kind == SourceKind.CASEWORK:
        items = payload["responses"] if isinstance(payload, dict) and "responses" in payload else [payload]
        if not isinstance(items, list):
            raise MappingError(_("'responses' must be a list of response objects."))
        if len(items) > settings.CASEWORK_API_MAX_BATCH:
            raise MappingError(_("At most %(max)d responses per delivery.") % {"max": settings.CASEWORK_API_MAX_BATCH})
        return Translated(event="responses", items=items)
    translator = TRANSLATORS.get(source.kind)
    if translator is None:
        raise MappingError(_("This source takes files, not webhooks."))
    return translator(source, payload, load_mappings(source))


def parse(body: bytes):
    # As strict as the API: a key twice in one object is refused, not guessed at.
    try:
        return load_json(body)
    except BadJson as error:
        raise MappingError(str(error)) from None
