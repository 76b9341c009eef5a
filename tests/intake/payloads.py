"""The tools' documented example payloads, as their documentation prints them (Formbricks: Integrations →
Webhooks, "Example Webhook Payloads"; Delighted: API → Webhooks, "Example request body for a
survey_response object"; Typeform: Webhooks → "Example webhook payload"), trimmed of parts Casework
does not read and with dates moved to the present so that they pass validation."""

import copy
import datetime

NOW = datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def iso(minutes_ago=5):
    return (NOW - datetime.timedelta(minutes=minutes_ago)).isoformat().replace("+00:00", ".507Z")


def unix(minutes_ago=5):
    return int((NOW - datetime.timedelta(minutes=minutes_ago)).timestamp())


def formbricks(event="responseCreated", data=None, finished=False, contact=None, attributes=None, response_id="responseId"):
    return {
        "webhookId": "webhookId",
        "event": event,
        "data": {
            "contact": contact,
            "contactAttributes": attributes,
            "createdAt": iso(),
            "data": data if data is not None else {"q1": "clicked"},
            "displayId": "displayId",
            "endingId": "endingId" if finished else None,
            "finished": finished,
            "id": response_id,
            "language": "en",
            "meta": {
                "country": "DE",
                "url": "https://app.formbricks.com/s/surveyId",
                "userAgent": {"browser": "Chrome", "device": "desktop", "os": "macOS"},
            },
            "singleUseId": None,
            "survey": {"createdAt": iso(60), "status": "inProgress", "title": "Customer Satisfaction Survey", "type": "link", "updatedAt": iso(10)},
            "surveyId": "surveyId",
            "tags": [],
            "ttc": {"q1": 2154.700000047684},
            "updatedAt": iso(4),
            "variables": {},
        },
    }


DELIGHTED = {
    "event_type": "survey_response.updated",
    "event_id": "b8d057c59327541d7ec2104c0a9a255ad1997fb00831b9c6bbf09561e6d5cbd0",
    "event_data": {
        "id": "5435",
        "person": {"id": "5975", "email": "charlie_gravis@example.com", "name": "Charlie Gravis", "created_at": unix(60)},
        "survey_type": "nps",
        "score": 9,
        "comment": "Your service is fast and flawless!",
        "permalink": "https://app.delighted.com/r/5pFDpmlyC8GUc5oxU6USto5VonSKAqOa",
        "created_at": unix(5),
        "updated_at": unix(1),
        "person_properties": None,
        "notes": [],
        "tags": [],
        "additional_answers": [],
    },
}


def delighted(event="survey_response.updated", event_id="evt-1", **changes):
    payload = copy.deepcopy(DELIGHTED)
    payload["event_type"], payload["event_id"] = event, event_id
    payload["event_data"].update(changes)
    return payload


TYPEFORM = {
    "event_id": "LtWXD3crgy",
    "event_type": "form_response",
    "form_response": {
        "form_id": "lT4Z3j",
        "token": "a3a12ec67a1365927098a606107fac15",
        "submitted_at": iso(2),
        "landed_at": iso(10),
        "calculated": {"score": 9},
        "hidden": {"user_id": "abc123456"},
        "definition": {
            "id": "lT4Z3j",
            "title": "Webhooks example",
            "fields": [
                {"id": "DlXFaesGBpoF", "title": "What's it like where you live?", "type": "long_text", "ref": "readable_ref_long_text"},
                {"id": "SMEUb7VJz92Q", "title": "Your email address", "type": "email", "ref": "readable_ref_email"},
                {"id": "Q7M2XAwY04dW", "title": "On a scale of 1 to 5, how satisfied are you?", "type": "opinion_scale", "ref": "readable_ref_opinion_scale"},
            ],
        },
        "answers": [
            {"type": "text", "text": "It's cold right now! I'm freezing.", "field": {"id": "DlXFaesGBpoF", "type": "long_text", "ref": "readable_ref_long_text"}},
            {"type": "email", "email": "laura@example.com", "field": {"id": "SMEUb7VJz92Q", "type": "email", "ref": "readable_ref_email"}},
            {"type": "number", "number": 2, "field": {"id": "Q7M2XAwY04dW", "type": "opinion_scale", "ref": "readable_ref_opinion_scale"}},
        ],
    },
}
