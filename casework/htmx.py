"""One way to answer htmx (Luke Plant's `for_htmx` pattern): a URL that serves both a page and a
fragment of it picks the fragment for htmx requests, the whole page for everyone else — including
htmx's back-button history restore, which needs the page — and says so in `Vary: HX-Request`, so no
cache hands the fragment to a browser that asked for the page (or the reverse)."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page_or_fragment(request, template: str, fragment: str, context: dict, *, status: int = 200):
    """`template`, or its partial `template#fragment` for htmx."""
    name = f"{template}#{fragment}" if wants_fragment(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def vary_on_htmx(response):
    """For answers chosen by `wants_fragment` without a template of the page (redirects, 204s)."""
    patch_vary_headers(response, ("HX-Request",))
    return response
