"""A property-based run (schemathesis) of /api/v1/openapi.json against the app itself, in-process through
its WSGI handler: for requests generated from the document, no answer is a 5xx, and every answer's
status, content type and body match what the document says."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from django.core import signals
from django.db import close_old_connections
from django.urls import URLResolver, get_resolver

from casework.cases import workflow
from casework.feedback.tokens import create_api_token
from casework.wsgi import application

# Raw e-mails (POST /api/v1/inbound-email) go as the bytes generated for them.
schemathesis.serializer.alias("message/rfc822", "application/octet-stream")

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(db):
    # Requests go straight to the WSGI handler, so, as Django's test client does, keep the end of a
    # request from closing the test's database connection (its transaction holds the test data).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, source, payroll, accounting, make_case, janis):
    # Cases of both teams with a timeline, so lists and pages have something to show (and to hide).
    case = make_case(team=payroll)
    workflow.claim_case(case=case, actor=janis)
    workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="reached", summary="Called")
    make_case(team=accounting)
    return create_api_token(source=source, scopes=["ingest", "read"], teams=[payroll])[1]


def test_every_answer_matches_the_document(api_schema, token):
    # Driven through hypothesis directly: schemathesis' own pytest plugin does not run under pytest 9.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def answers_as_documented(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        answers_as_documented()


def _api_routes():
    """Every address under api/v1/ in the URL conf, written as the document writes paths."""
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif route.startswith("api/v1/") and route != "api/v1/openapi.json":
                found.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))

    walk(get_resolver().url_patterns)
    return set(found)


def test_the_document_lists_every_api_address(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths) == _api_routes()
    assert {"/api/v1/cases", "/api/v1/cases/{reference}", "/api/v1/responses", "/api/v1/inbound-email"} <= set(paths)
    assert set(paths["/api/v1/responses"]) == {"get", "post"}
    names = {parameter["name"] for parameter in paths["/api/v1/cases"]["get"]["parameters"]}
    assert {"status", "team", "assignee", "band", "overdue", "created_after", "cursor", "limit"} <= names
