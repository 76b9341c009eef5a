"""Formbricks webhooks: `{webhookId, event, data: <response>}` for responseCreated, responseUpdated and
responseFinished, the same response id each time as the respondent goes on. The answers in `data.data`
are keyed by element ids that say nothing about the question, hence the mappings (keyed by survey id).
Documented at formbricks.com/docs (Integrations → Webhooks)."""

from django.utils.translation import gettext as _

from .mapping import Answer, MappingError, Translated, as_text, build_item, from_iso

EVENTS = {"responseCreated", "responseUpdated", "responseFinished"}
# Formbricks' survey types: a link survey, or an app/website survey shown inside the product.
CHANNELS = {"link": "link", "app": "web", "website": "web"}


def translate(source, payload, mappings) -> Translated:
    # The documentation prints its examples as one-element lists; the sender posts the object itself.
    envelopes = payload if isinstance(payload, list) else [payload]
    translated = Translated(event="")
    for envelope in envelopes:
        if not isinstance(envelope, dict):
            raise MappingError(_("Not a Formbricks webhook: expected a JSON object."))
        event = envelope.get("event")
        translated.event = str(event)[:50]
        if event == "testEndpoint":
            return Translated(event="testEndpoint", ignored=_("Formbricks' test request."))
        if event not in EVENTS:
            raise MappingError(_("Unknown Formbricks event %(event)r.") % {"event": event})
        response = envelope.get("data")
        if not isinstance(response, dict) or not isinstance(response.get("id"), str):
            raise MappingError(_("The Formbricks webhook has no response in 'data'."))
        translated.items.append(_item(source, response, mappings))
    return translated


def _item(source, response: dict, mappings) -> dict:
    answers = response.get("data") if isinstance(response.get("data"), dict) else {}
    attributes = response.get("contactAttributes") if isinstance(response.get("contactAttributes"), dict) else {}
    contact = response.get("contact") if isinstance(response.get("contact"), dict) else {}
    meta = response.get("meta") if isinstance(response.get("meta"), dict) else {}
    survey = response.get("survey") if isinstance(response.get("survey"), dict) else {}
    language = response.get("language")
    name = " ".join(as_text(attributes.get(part)) for part in ("firstName", "lastName")).strip()
    answer = Answer(
        external_id=response["id"],
        answered_at=from_iso(response.get("createdAt")),
        survey=as_text(response.get("surveyId")),
        channel=CHANNELS.get(survey.get("type"), ""),
        url=as_text(meta.get("url")),
        # "default" is the survey's default language, which the payload does not name.
        locale=as_text(language) if language not in (None, "default") else "",
        person={
            "id": as_text(contact.get("userId")) or as_text(attributes.get("userId")),
            "email": as_text(attributes.get("email")),
            "name": name,
            "country": as_text(meta.get("country")).upper(),
        },
    )

    def lookup(key):
        # Questions and hidden fields are in `data`; contact attributes may be mapped by their key too.
        return answers[key] if key in answers else attributes.get(key)

    return build_item(source, mappings, answer, lookup)
