"""Every page is private unless it says otherwise: walking the URL resolver means a new page is
covered the moment it is added."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# The only views anyone may open without signing in, and why.
PUBLIC = {
    "login",  # signing in
    "set_language",  # switching language on the login page
    "healthz",  # load balancers and monitors
    "intake:api-responses",  # survey tools, with a bearer token instead of a session
    "intake:api-webhook",  # survey tools, with their own signature instead of a session (tests/intake/test_webhooks.py)
    "outreach:optout",  # respondents, with a signed token from their e-mail
    "outreach:api-inbound-email",  # mail services, with an inbound-e-mail source's token (tests/outreach/test_replies_http.py)
    "integrations:api-cases",  # other systems, with a read-scoped token limited to its teams (tests/integrations/test_read_api.py)
    "integrations:api-case",  # the same, one case (another team's case is a 404 there)
    "integrations:openapi",  # the API's description, which holds no data
}
SAMPLE_VALUES = {"int": "1", "str": "CW-1001", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin has its own login; covered below
            ns = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns or None)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name]))
            route = prefix + str(pattern.pattern)
            path = "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES[m[1] or "str"], route)
            yield name, path


APP_URLS = sorted(set(walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_pages():
    names = {name for name, _path in APP_URLS}
    assert {"cases:mine", "cases:list", "cases:detail", "insights:teams", "privacy:home", "healthz"} <= names


@pytest.mark.parametrize(("name", "path"), [item for item in APP_URLS if item[0] not in PUBLIC])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("htmx", [False, True])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, path, method, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = getattr(client, method)(path, headers=headers)
    assert response.status_code == 302, f"{name} answered {response.status_code}"
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("path", ["/admin/", "/admin/cases/case/", "/admin/feedback/respondent/1/change/"])
def test_the_admin_asks_for_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(("/admin/login/", reverse("login") + "?next="))


def test_public_pages_answer_without_sign_in(client):
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("login")).status_code == 200
