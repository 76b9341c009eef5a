"""`GET /api/v1/openapi.json`: the API's OpenAPI 3.1 document, generated from the code that answers —
the pydantic models the read API validates its queries with and builds its answers from
(representation.py, readapi.py), the case list's own django-filter filters, and models of the ingestion
contract (DESIGN.md) — so the document cannot drift from the code; the property-based test run
(tests/integrations/test_openapi.py) checks every answer against it."""

import datetime
from functools import cache
from typing import Any, Literal

import django_filters
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.http import require_GET
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from casework.cases.filters import CaseFilter
from casework.feedback.models import ResponseChannel

from .models import WebhookEventType
from .readapi import CaseList, ErrorOut, PageQuery, ResponseList, ResponseQuery
from .representation import CaseDetailOut, MetricName, WebhookPayload

REF = "#/components/schemas/{model}"


class IngestRespondent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, max_length=200, description="The survey tool's user id")
    email: str | None = Field(default=None, max_length=254)
    name: str | None = Field(default=None, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")


class IngestResponse(BaseModel):
    """One answer (DESIGN.md, "Ingestion API"). Each item is checked on its own: one that breaks a rule
    answers status "invalid" with errors per field, and the others are stored."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(max_length=200, description="Unique per source: sending it again stores nothing new")
    metric: MetricName
    score: int = Field(description="nps 0–10, ces 1–7, csat 1–5")
    answered_at: datetime.datetime
    comment: str | None = None
    channel: Literal[tuple(ResponseChannel.values)] | None = None  # type: ignore[valid-type]
    product: str | None = Field(default=None, max_length=100)
    url: str | None = Field(default=None, max_length=2000)
    locale: str | None = None
    respondent: IngestRespondent | None = None


class IngestBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    responses: list[IngestResponse] = Field(min_length=1, max_length=1000)


class IngestResult(BaseModel):
    id: Any = Field(description="The item's id as sent (null when it had none)")
    status: Literal["created", "duplicate", "invalid"]
    case: str | None
    errors: dict[str, list[str]]
    warnings: list[str] | None = None


class IngestAnswer(BaseModel):
    results: list[IngestResult]


class InboundAnswer(BaseModel):
    status: Literal["accepted"]
    outcome: str


MODELS = [
    (CaseList, "serialization"), (CaseDetailOut, "serialization"), (ResponseList, "serialization"), (ErrorOut, "serialization"),
    (IngestResponse, "validation"), (IngestBatch, "validation"), (IngestAnswer, "serialization"), (InboundAnswer, "serialization"), (WebhookPayload, "serialization"),
]


def _ref(model) -> dict:
    return {"$ref": REF.format(model=model.__name__)}


def _json_content(model) -> dict:
    return {"application/json": {"schema": _ref(model)}}


def _answer(description: str, model=ErrorOut) -> dict:
    return {"description": description, "content": _json_content(model)}


def _query_parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema()
    return [
        {"name": name, "in": "query", "required": False, "schema": {k: v for k, v in prop.items() if k not in ("title", "default")},
         **({"description": prop["description"]} if "description" in prop else {})}
        for name, prop in schema["properties"].items()
    ]


def _filter_parameters() -> list[dict]:
    """The case list's filters (cases/filters.py), read from the FilterSet itself."""
    parameters = []
    for name, flt in CaseFilter.base_filters.items():
        if name == "sort":
            continue  # the API's order is its cursor's
        if isinstance(flt, django_filters.DateFromToRangeFilter):
            for suffix in ("after", "before"):
                parameters.append({"name": f"{name}_{suffix}", "in": "query", "schema": {"type": "string", "format": "date"},
                                   "description": f"{flt.label}: {suffix}"})
            continue
        if isinstance(flt, django_filters.BooleanFilter):
            schema = {"type": "boolean"}
        elif isinstance(flt, django_filters.ModelChoiceFilter):
            schema = {"type": "integer", "description": "An id (a team: one of the token's teams)"}
        elif isinstance(flt, django_filters.ChoiceFilter) and flt.extra.get("choices"):
            values = [value for value, _label in flt.extra["choices"]]
            schema = {"type": "integer" if all(isinstance(v, int) for v in values) else "string", "enum": values}
        elif isinstance(flt, django_filters.ChoiceFilter):
            schema = {"type": "string", "description": "'unassigned' or a user id"}
        else:
            schema = {"type": "string", **({"maxLength": flt.extra["max_length"]} if flt.extra.get("max_length") else {})}
        parameters.append({"name": name, "in": "query", "schema": schema, "description": str(flt.label)})
    return parameters


@cache
def document() -> dict:
    with translation.override("en"):
        return _document()


def _document() -> dict:
    _keys, definitions = models_json_schema(MODELS, ref_template=REF)
    unauthorised = _answer("No token, or one without the needed scope")
    bad = _answer("A query parameter or filter is not valid; `errors` names it")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Casework API", "version": "1",
                 "description": "Responses in (ingest scope), cases and responses out (read scope, limited to the token's teams)."},
        "servers": [{"url": settings.CASEWORK_BASE_URL}],
        "security": [{"bearer": []}],
        "components": {
            "schemas": definitions["$defs"],
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "An API token (cw_…)"}},
        },
        "paths": {
            "/api/v1/cases": {"get": {
                "operationId": "listCases", "summary": "Cases of the token's teams, with the case list's filters",
                "parameters": _filter_parameters() + _query_parameters(PageQuery),
                "responses": {"200": _answer("One page of cases, oldest number first", CaseList), "400": bad, "401": unauthorised},
            }},
            "/api/v1/cases/{reference}": {"get": {
                "operationId": "getCase", "summary": "One case with its responses and timeline",
                "parameters": [{"name": "reference", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[^/]+$"}, "example": "CW-1042"}],
                "responses": {"200": _answer("The case", CaseDetailOut), "401": unauthorised,
                              "404": _answer("No such case, or one of another team")},
            }},
            "/api/v1/responses": {
                "get": {
                    "operationId": "listResponses", "summary": "Responses of the cases the token's teams see",
                    "parameters": _query_parameters(ResponseQuery),
                    "responses": {"200": _answer("One page of responses", ResponseList), "400": bad, "401": unauthorised},
                },
                "post": {
                    "operationId": "ingestResponses", "summary": "Send one response or a batch (ingest scope)",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [_ref(IngestResponse), _ref(IngestBatch)]}}}},
                    "responses": {
                        "200": _answer("A result per item, in input order", IngestAnswer),
                        "400": _answer("Not JSON, or not of this shape"), "401": unauthorised,
                        "413": _answer("The body is too large"), "415": _answer("Not application/json"),
                    },
                },
            },
            "/api/v1/inbound-email": {"post": {
                "operationId": "receiveEmail", "summary": "One raw e-mail forwarded by a mail service (README, Replies)",
                "description": "The token of a source of kind 'Inbound e-mail', as a bearer token or the password of HTTP Basic.",
                "requestBody": {"required": True, "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {
                    "200": {"description": "Accepted", "content": _json_content(InboundAnswer)},
                    "400": _answer("Not a message that can be read"), "401": unauthorised,
                    "403": _answer("The token's source does not take e-mail"), "413": _answer("The message is too large"),
                    "415": _answer("Not message/rfc822"), "422": _answer("No case matches the reply address"),
                    "503": _answer("Temporary failure: try again later"),
                },
            }},
            "/api/v1/webhooks/{slug}": {"post": {
                "operationId": "receiveWebhook", "summary": "A survey tool's own webhook, signed with its own scheme (README, Connectors)",
                "security": [],
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}}],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {
                    "200": {"description": "A delivery id already received (ignored) or a tool's test call"},
                    "202": {"description": "Verified and stored; processed in the task queue"},
                    "400": _answer("Not JSON of the tool's shape"), "401": _answer("Signature missing or wrong"),
                    "404": _answer("No webhook source with this slug"), "413": _answer("The body is too large"),
                },
            }},
        },
        "webhooks": {
            kind: {"post": {"summary": str(label), "requestBody": {"content": _json_content(WebhookPayload)},
                            "responses": {"2XX": {"description": "Received; anything else is retried"}}}}
            for kind, label in WebhookEventType.choices
        },
    }


@login_not_required
@require_GET
def openapi_json(request):
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})
