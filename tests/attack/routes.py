"""Every URL of the URL conf, and how the attack suite attacks it.

`test_url_coverage.py` walks the resolver and fails on any URL name without a row here: whoever adds
a URL adds a row saying who may use it, how to build its arguments, what it answers and which of its
inputs are free text. The admin's generated URLs (changelist, add, change, …) are attacked as one
family (ADMIN_FAMILY); an admin view of one's own needs a row like any other."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from casework.teams.models import Membership

from .world import NAME, PAYLOAD, World, optout_for


@dataclass(frozen=True)
class Route:
    # Who may use it: a key of World.users, or None for a public URL.
    user: str | None
    # Keyword arguments for reverse(), pointing at team Payroll's objects.
    args: Callable[[World], dict] = lambda w: {}
    methods: tuple[str, ...] = ("GET",)
    # A POST body the URL accepts from `user` (CSRF and hostile-text attacks send it).
    form: Callable[[World], dict] | None = None
    # Fields of `form` that hold free text: each gets NUL, lone surrogates and right-to-left overrides.
    texts: tuple[str, ...] = ()
    # Who must get a 404 for these arguments: a member of the other team, or None when not team-owned.
    outsider: str | None = None
    # GET parameters it reads (filters, ordering, search, pages): each gets SQL-ish and odd values.
    query: tuple[str, ...] = ()
    # Serves a page and an htmx fragment of it at this one address.
    fragment: bool = False
    # Why a POST needs no CSRF token (machine-to-machine, or a signed link); "" means it needs one.
    csrf_exempt: str = ""
    # Answers a file to download rather than a page.
    download: bool = False
    extra: dict = field(default_factory=dict)


def case(w):
    return {"reference": w.case.reference}


def versioned(prefix, **fields):
    return lambda w: {f"{prefix}-version": w.case.version, **{f"{prefix}-{k}": v(w) if callable(v) else v for k, v in fields.items()}}


CASE_LIST_QUERY = ("q", "status", "team", "assignee", "priority", "metric", "band", "product", "country", "overdue", "commented",
                   "created_after", "created_before", "sort", "page")

DASHBOARD_QUERY = ("period", "start", "end", "team", "product", "metric", "channel", "country")

ROUTES: dict[str, Route] = {
    # Case lists and the case page (casework/cases).
    "cases:mine": Route("janis", query=CASE_LIST_QUERY, fragment=True),
    "cases:list": Route("janis", query=CASE_LIST_QUERY, fragment=True),
    "cases:team-queue": Route("maija", args=lambda w: {"slug": w.payroll.slug}, outsider="peter", query=CASE_LIST_QUERY, fragment=True),
    "cases:bulk": Route(
        "maija", methods=("POST",), form=lambda w: {"cases": [w.case.reference], "action": "tag", "tag_value": PAYLOAD[:60]},
        texts=("tag_value",),
    ),
    "cases:detail": Route("janis", args=case, outsider="anna"),
    "cases:claim": Route("janis", args=case, methods=("POST",), form=versioned("claim"), outsider="anna"),
    "cases:assign": Route("maija", args=case, methods=("POST",), form=versioned("assign", assignee=lambda w: w.user("maija").pk), outsider="peter"),
    "cases:status": Route("janis", args=case, methods=("POST",), form=versioned("status", to="waiting"), outsider="anna"),
    "cases:log-contact": Route(
        "janis", args=case, methods=("POST",), outsider="anna", texts=("contact-summary",),
        form=versioned("contact", channel="phone", direction="outbound", outcome="reached", summary=PAYLOAD),
    ),
    "cases:add-note": Route("janis", args=case, methods=("POST",), form=versioned("note", text=PAYLOAD), texts=("note-text",), outsider="anna"),
    "cases:record-action": Route(
        "janis", args=case, methods=("POST",), form=versioned("action", action_summary=PAYLOAD, tags=f"{NAME[:50]}, b"),
        texts=("action-action_summary", "action-tags"), outsider="anna",
    ),
    "cases:share": Route("maija", args=case, methods=("POST",), form=versioned("share", colleague=lambda w: w.user("anna").pk), outsider="peter"),
    "cases:notices": Route("maija"),
    "cases:read-notices": Route("maija", methods=("POST",), form=lambda w: {}),
    # Managers' figures (casework/insights).
    "insights:teams": Route("maija"),
    "insights:dashboard": Route("maija", query=DASHBOARD_QUERY, fragment=True),
    "insights:responses": Route("maija", query=(*DASHBOARD_QUERY, "band", "page")),
    "insights:export": Route("maija", query=("table", *DASHBOARD_QUERY), download=True),
    "insights:case-export": Route("maija", query=CASE_LIST_QUERY, download=True),
    "insights:announce": Route(
        "maija", methods=("GET", "POST"), texts=("subject", "body", "product"),
        form=lambda w: {"tag": "", "first_day": "2026-01-01", "last_day": "2026-01-31", "locale": "en", "subject": PAYLOAD[:100],
                        "body": PAYLOAD, "product": PAYLOAD[:50], "action": "preview"},
    ),
    "insights:member": Route(
        "maija", args=lambda w: {"pk": Membership.objects.get(user=w.user("janis"), team=w.payroll).pk}, methods=("POST",),
        form=lambda w: {"is_away": "1"}, outsider="peter",
    ),
    # Intake: the API, webhooks and the CSV import (casework/intake).
    "intake:api-responses": Route(
        None, methods=("POST",), csrf_exempt="survey tools authenticate with a bearer token or a signature, never a session",
        extra={"json": True},
    ),
    "intake:api-webhook": Route(
        None, args=lambda w: {"slug": w.webhook_source.slug}, methods=("POST",),
        csrf_exempt="survey tools sign each delivery; no session is read", extra={"json": True},
    ),
    # The read API and its document (casework/integrations): read tokens, never a session, so a signed-in
    # person gets 401 like anyone without a token (tests/integrations/test_read_api.py has the token side).
    "integrations:api-cases": Route(None, query=CASE_LIST_QUERY + ("cursor", "limit"), extra={"read_token": True}),
    "integrations:api-case": Route(None, args=case, extra={"read_token": True}),
    "integrations:openapi": Route(None),
    "intake:import": Route("maija", methods=("GET", "POST"), form=lambda w: {"source": w.source.pk}),
    "intake:import-detail": Route("maija", args=lambda w: {"pk": w.uploaded_import.pk}, outsider="peter", fragment=True),
    "intake:import-start": Route("maija", args=lambda w: {"pk": w.uploaded_import.pk}, methods=("POST",), form=lambda w: {}, outsider="peter"),
    "intake:import-problems": Route("maija", args=lambda w: {"pk": w.csv_import.pk}, outsider="peter", download=True),
    # Closing e-mails and the opt-out (casework/outreach).
    "outreach:compose": Route(
        "janis", args=case, methods=("GET", "POST"), outsider="anna", fragment=True, texts=("subject", "body"),
        form=lambda w: {"action": "preview", "locale": "en", "subject": NAME, "body": PAYLOAD, "version": w.case.version},
    ),
    "outreach:api-inbound-email": Route(
        None, methods=("POST",), csrf_exempt="mail services forward replies with an inbound-e-mail source's token, never a session",
        extra={"json": True},
    ),
    "outreach:failed": Route("maija"),
    "outreach:retry": Route("maija", args=lambda w: {"pk": w.notification.pk}, methods=("POST",), form=lambda w: {}, outsider="peter"),
    "outreach:optout": Route(
        None, args=lambda w: {"token": optout_for(w)}, methods=("GET", "POST"),
        csrf_exempt="mail clients post RFC 8058 one-click requests without cookies; the signed token is the proof",
    ),
    # The privacy desk (casework/privacy): privacy officers only, across teams (tests/test_permissions.py).
    "privacy:home": Route("dace", query=("q",)),
    "privacy:requests": Route("dace", query=("page",)),
    "privacy:extend": Route("dace", args=lambda w: {"pk": w.privacy_request.pk}, methods=("POST",),
                            form=lambda w: {f"request-{w.privacy_request.pk}-reason": PAYLOAD}, texts=("request-{pk}-reason",)),
    "privacy:refuse": Route("dace", args=lambda w: {"pk": w.privacy_request.pk}, methods=("POST",),
                            form=lambda w: {f"request-{w.privacy_request.pk}-reason": PAYLOAD}, texts=("request-{pk}-reason",)),
    "privacy:respondent": Route("dace", args=lambda w: {"pk": w.case.respondent_id}),
    "privacy:log-request": Route("dace", args=lambda w: {"pk": w.case.respondent_id}, methods=("POST",),
                                 form=lambda w: {"log-kind": "objection", "log-received_on": "2026-01-02", "log-note": PAYLOAD}, texts=("log-note",)),
    "privacy:export": Route("dace", args=lambda w: {"pk": w.case.respondent_id}, methods=("POST",),
                            form=lambda w: {"export-kind": "access"}, download=True),
    "privacy:rectify": Route("dace", args=lambda w: {"pk": w.case.respondent_id}, methods=("POST",),
                             form=lambda w: {"rectify-name": "Anna " + NAME[:100], "rectify-company": NAME},
                             texts=("rectify-name", "rectify-company", "rectify-email", "rectify-country", "rectify-locale")),
    "privacy:restrict": Route("dace", args=lambda w: {"pk": w.case.respondent_id}, methods=("POST",), form=lambda w: {"restrict-note": PAYLOAD}, texts=("restrict-note",)),
    "privacy:lift-restriction": Route("dace", args=lambda w: {"pk": w.case.respondent_id}, methods=("POST",), form=lambda w: {"lift-reason": PAYLOAD}, texts=("lift-reason",)),
    "privacy:object": Route("dace", args=lambda w: {"pk": w.case.respondent_id}, methods=("POST",), form=lambda w: {}),
    "privacy:erase": Route("dace", args=lambda w: {"pk": w.case.respondent_id}, methods=("POST",), form=lambda w: {"erase-confirm": "nobody@example.com"}, texts=("erase-confirm",)),
    # One's own preferences (casework/teams).
    "teams:preferences": Route("janis", methods=("GET", "POST"), form=lambda w: {"email_on_assignment": "on"}),
    # Signing in and out, language, health (casework/urls.py).
    "login": Route(None, methods=("GET", "POST"), form=lambda w: {"username": "janis", "password": "wrong password"}, texts=("username", "password")),
    "logout": Route("janis", methods=("POST",), form=lambda w: {}),
    "set_language": Route(None, methods=("POST",), form=lambda w: {"language": "lv", "next": "/"}, texts=("next",)),
    "healthz": Route(None),
    # Admin views of one's own (the generated ones are ADMIN_FAMILY below).
    "admin:intake_delivery_retry": Route("admin", args=lambda w: {"pk": w.delivery.pk}, methods=("POST",), form=lambda w: {}),
    "admin:integrations_webhookdelivery_retry": Route("admin", args=lambda w: {"pk": w.webhook_delivery.pk}, methods=("POST",), form=lambda w: {}),
    "admin:auth_user_password_change": Route("admin", args=lambda w: {"id": w.user("janis").pk}, methods=("GET", "POST"),
                                             form=lambda w: {"password1": "x", "password2": "y"}),
}

# Django's admin generates these for every registered model; attacked as a family (test_admin_family).
ADMIN_BUILTINS = {"index", "login", "logout", "password_change", "password_change_done", "autocomplete", "jsi18n", "view_on_site", "app_list"}
ADMIN_GENERATED = re.compile(r"^admin:\w+_(changelist|add|change|delete|history)$")


def is_admin_family(name: str) -> bool:
    return name in {f"admin:{builtin}" for builtin in ADMIN_BUILTINS} or bool(ADMIN_GENERATED.match(name))


def walk(patterns=None, prefix="", namespace=None):
    """(name, route) of every URL pattern, admin included, recursively through every include()."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            # The admin's unnamed catch-alls redirect to the named pages (the family covers them).
            if pattern.name is None and namespace == "admin":
                continue
            yield ":".join(filter(None, [namespace, pattern.name])), prefix + str(pattern.pattern)


def row_to_add(name: str, route: str) -> str:
    arguments = re.findall(r"<(?:\w+:)?(\w+)>", route)
    args = ", ".join(f'"{arg}": w.<object>.{"pk" if arg in ("pk", "id") else arg}' for arg in arguments)
    return (
        f'    "{name}": Route("<who may use it: janis|maija|dace|admin, None if public>"'
        + (f", args=lambda w: {{{args}}}" if arguments else "")
        + ', methods=("GET",), form=None, texts=(), outsider="<anna|peter if team-owned, else drop>",'
        + " query=(), fragment=False, download=False),"
    )
