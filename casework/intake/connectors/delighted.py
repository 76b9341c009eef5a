"""Delighted webhooks: `{event_type, event_id, event_data: <survey response>}`. survey_response.created
comes the moment a score is chosen, usually without the comment, which follows in
survey_response.updated (same response id). Documented at app.delighted.com/docs/api/webhooks."""

from django.utils.translation import gettext as _

from .mapping import Answer, MappingError, Translated, as_text, build_item, from_unix

EVENTS = {"survey_response.created", "survey_response.updated"}
# Delighted's survey types that are one of Casework's metrics, on Casework's scale. Others (eNPS,
# 5-star, smileys, thumbs, PMF) need a mapping line whose question is the survey type.
METRICS = {"nps": "nps", "csat": "csat"}


def translate(source, payload, mappings) -> Translated:
    if not isinstance(payload, dict):
        raise MappingError(_("Not a Delighted webhook: expected a JSON object."))
    event = as_text(payload.get("event_type"))[:50]
    if event == "unsubscribe.created":
        return Translated(event=event, ignored=_("An unsubscribe from Delighted's own e-mails."))
    if event not in EVENTS:
        raise MappingError(_("Unknown Delighted event %(event)r.") % {"event": event})
    response = payload.get("event_data")
    if not isinstance(response, dict) or response.get("id") in (None, ""):
        raise MappingError(_("The Delighted webhook has no survey response in 'event_data'."))
    person = response.get("person") if isinstance(response.get("person"), dict) else {}
    properties = response.get("person_properties") if isinstance(response.get("person_properties"), dict) else {}
    survey_type = as_text(response.get("survey_type"))
    answer = Answer(
        external_id=as_text(response["id"]),
        answered_at=from_unix(response.get("created_at")),
        # Mapping lines are per survey type: a 3-point CSAT or 5-point CES project is mapped there.
        survey=survey_type,
        metric=METRICS.get(survey_type, ""),
        score=response.get("score"),
        comment=as_text(response.get("comment")),
        locale=as_text(properties.get("locale")),
        person={"id": as_text(person.get("id")), "email": as_text(person.get("email")), "name": as_text(person.get("name"))},
        may_be_partial=False,
    )
    scores = {survey_type: response.get("score")}

    def lookup(key):
        # A mapping names either a person property, or the survey type whose score it converts.
        return scores[key] if key in scores else properties.get(key)

    return Translated(event=event, items=[build_item(source, mappings, answer, lookup)])
