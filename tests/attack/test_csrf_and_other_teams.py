"""Every action refuses a POST without its CSRF token, and every URL that names another team's
object answers 404 — for pages, partials, actions and downloads alike — and changes nothing."""

import pytest
from django.test import Client

from casework.cases.models import Event
from casework.outreach.models import Notification
from casework.privacy.models import PrivacyRequest
from tests.test_permissions import CASE_URLS

from .checks import assert_secure
from .routes import ROUTES
from .world import MARK

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
TEAM_MEMBERS = {"janis", "maija"}


def _footprint():
    return Event.objects.count(), list(Notification.objects.values_list("status", "attempts")), PrivacyRequest.objects.count()


def test_every_action_needs_its_csrf_token(world, url_of, each_route):
    def attack(name, route):
        client = Client(enforce_csrf_checks=True)
        if route.user:
            client.force_login(world.user(route.user))
        before = _footprint()
        for headers in ({}, HTMX):
            response = client.post(url_of(name), route.form(world), headers=headers)
            assert response.status_code == 403, f"POST without a CSRF token answered {response.status_code}"
            assert_secure(response, "the CSRF refusal")
        assert _footprint() == before, "a POST without a CSRF token changed something"

    each_route(attack, where=lambda name, route: "POST" in route.methods and not route.csrf_exempt)


def test_posts_without_a_token_are_only_for_machines_and_signed_links(world, url_of, each_route):
    """A browser's session never authenticates a CSRF-exempt URL: signed in, with no token or
    signature of its own, the API and webhooks refuse."""

    def attack(name, route):
        assert route.user is None, "a CSRF-exempt URL must not rely on the session"
        if route.extra.get("json"):
            client = Client(enforce_csrf_checks=True)
            client.force_login(world.user("admin"))
            response = client.post(url_of(name), "{}", content_type="application/json")
            assert response.status_code == 401, f"a signed-in browser without a token got {response.status_code}"
            assert_secure(response, "the 401")

    each_route(attack, where=lambda name, route: bool(route.csrf_exempt))


def test_another_teams_objects_are_not_found(world, url_of, as_user, each_route):
    """The case URLs are proven by tests/test_permissions.py for both other-team roles; these are the rest."""

    def attack(name, route):
        before = _footprint()
        client = as_user(route.outsider)
        for method in route.methods:
            for headers in ({}, HTMX):
                data = route.form(world) if method == "POST" and route.form else {}
                response = client.post(url_of(name), data, headers=headers) if method == "POST" else client.get(url_of(name), headers=headers)
                assert response.status_code == 404, f"{route.outsider}'s {method} answered {response.status_code}"
                assert MARK not in response.content.decode(), "the 404 shows the other team's data"
                assert_secure(response, "the 404")
        assert _footprint() == before, "another team's POST changed something"

    each_route(attack, where=lambda name, route: route.outsider and name not in CASE_URLS)


def test_team_owned_urls_say_who_must_not_reach_them():
    undeclared = [name for name, route in ROUTES.items() if route.user in TEAM_MEMBERS and _arg_names(route) and route.outsider is None]
    assert undeclared == [], f"{undeclared}: say which member of the other team (anna or peter) must get a 404: outsider=..."
    # Read API rows answer tokens, not sessions: their other-team 404s are tests/integrations/test_read_api.py's.
    case_rows = {name for name, route in ROUTES.items() if "reference" in _arg_names(route) and not route.extra.get("read_token")}
    assert case_rows - CASE_URLS == set(), "add these case URLs to CASE_URLS in tests/test_permissions.py (both other-team roles)"


def _arg_names(route) -> set[str]:
    """The argument names a row's builder gives, found without a world."""

    class Anything:
        def __getattr__(self, name):
            return self

        def __call__(self, *args, **kwargs):
            return self

    try:
        return set(route.args(Anything()))
    except Exception:  # noqa: BLE001 - a builder that needs real objects (a signed token) names one
        return {"object"}
