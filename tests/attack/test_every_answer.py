"""Every URL, as the person allowed to use it, anonymously and with the wrong method: each answer
carries the security headers, says `Vary: HX-Request` when htmx gets something else, and shows the
hostile texts of the world as inert text — in pages, partials and downloads alike. Each test walks
the whole table over one world and lists every URL that fails."""

import re

import pytest

from .checks import active_markup, assert_secure, formula_cells

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
_VOLATILE = re.compile(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]*')


def _same_answer(a, b) -> bool:
    return _VOLATILE.sub(b"", a.content) == _VOLATILE.sub(b"", b.content)


def check_body(response, what):
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    if content_type.startswith("text/html"):
        found, _seen = active_markup(text)
        assert not found, f"{what}: hostile text became active markup: {found}"
    elif content_type.startswith("text/csv"):
        assert not formula_cells(text), f"{what}: CSV cells a spreadsheet would run as formulas: {formula_cells(text)}"
    else:
        assert content_type.startswith("application/json"), f"{what}: unexpected Content-Type {content_type!r}"


def test_pages_partials_and_downloads(world, url_of, as_user, each_route):
    def attack(name, route):
        url = url_of(name)
        client = as_user(route.user)
        # The read API answers a read token, not a session: such routes say so with extra["read_token"].
        token = {"Authorization": f"Bearer {world.read_token}"} if route.extra.get("read_token") else {}
        if token:
            assert client.get(url).status_code == 401, "answered without its token"
        page = client.get(url, headers=token)
        assert page.status_code == 200, f"{route.user} got {page.status_code}"
        assert_secure(page, "GET")
        check_body(page, "GET")
        if route.download:
            assert page.get("Content-Disposition", "").startswith("attachment")
            return
        fragment = client.get(url, headers={**HTMX, **token})
        assert fragment.status_code == 200
        assert_secure(fragment, "htmx GET")
        check_body(fragment, "htmx GET")
        if route.fragment:
            assert not _same_answer(page, fragment), "marked fragment=True but htmx gets the whole page"
        if not _same_answer(page, fragment):
            assert "HX-Request" in page.get("Vary", "") and "HX-Request" in fragment.get("Vary", ""), (
                "answers htmx with something else than the page, so it must say `Vary: HX-Request` (casework/htmx.py)"
            )

    each_route(attack, where=lambda name, route: "GET" in route.methods)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_actions(htmx, world, url_of, as_user, each_route):
    def attack(name, route):
        response = as_user(route.user).post(url_of(name), route.form(world), headers=HTMX if htmx else {})
        assert response.status_code < 500 and response.status_code not in (403, 404, 405), f"answered {response.status_code}"
        assert_secure(response, "POST")
        if response.status_code not in (204, 302):
            check_body(response, "POST")

    each_route(attack, where=lambda name, route: route.form is not None)


def test_refusals_and_redirects_carry_the_headers(world, url_of, as_user, each_route):
    def attack(name, route):
        anonymous = as_user(None).get(url_of(name))
        assert anonymous.status_code == 302, f"anonymous got {anonymous.status_code}"
        assert_secure(anonymous, "the sign-in redirect")
        if route.methods == ("POST",):
            wrong_method = as_user(route.user).get(url_of(name))
            assert wrong_method.status_code == 405, f"GET answered {wrong_method.status_code}"
            assert_secure(wrong_method, "405")

    each_route(attack, where=lambda name, route: route.user is not None)
