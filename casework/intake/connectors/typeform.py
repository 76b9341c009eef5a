"""Typeform webhooks: `{event_id, event_type: form_response, form_response: {form_id, token,
submitted_at, hidden, definition, answers: [{type, <type>: value, field: {id, type, ref}}]}}`. Answers
are found by the field's `ref` (readable, set in the form's settings), hidden fields by name.
Documented at typeform.com/developers/webhooks."""

from django.utils.translation import gettext as _

from .mapping import Answer, MappingError, Translated, as_text, build_item, from_iso

EVENTS = {"form_response", "form_response_partial"}


def translate(source, payload, mappings) -> Translated:
    if not isinstance(payload, dict):
        raise MappingError(_("Not a Typeform webhook: expected a JSON object."))
    event = as_text(payload.get("event_type"))[:50]
    if event not in EVENTS:
        raise MappingError(_("Unknown Typeform event %(event)r.") % {"event": event})
    response = payload.get("form_response")
    if not isinstance(response, dict) or not isinstance(response.get("token"), str):
        raise MappingError(_("The Typeform webhook has no 'form_response' with a token."))
    hidden = response.get("hidden") if isinstance(response.get("hidden"), dict) else {}
    answers = {}
    for entry in response.get("answers") or []:
        if isinstance(entry, dict) and isinstance(entry.get("field"), dict):
            value = entry.get(entry.get("type"))
            if isinstance(value, dict):  # a choice answer: {"label": ...}
                value = value.get("label") if "label" in value else value.get("labels")
            for key in (entry["field"].get("ref"), entry["field"].get("id")):
                if isinstance(key, str):
                    answers.setdefault(key, value)
    answer = Answer(
        external_id=response["token"],
        answered_at=from_iso(response.get("submitted_at") or response.get("landed_at")),
        survey=as_text(response.get("form_id")),
    )

    def lookup(key):
        return answers[key] if key in answers else hidden.get(key)

    return Translated(event=event, items=[build_item(source, mappings, answer, lookup)])
