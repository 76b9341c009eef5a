"""Project-wide response policy."""

import logging

from django.utils.cache import patch_cache_control

security_log = logging.getLogger("casework.security")


class PrivateCacheMiddleware:
    """Pages behind the login show personal data (names, e-mails, comments). No browser or proxy may
    keep a copy, or the next person at a shared computer could press Back and read them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        return response


class RefusalLogMiddleware:
    """Every refused request (401, 403, 404) is logged with who asked (user id), from where (client
    address) and which URL pattern — never the path's values, names, e-mails or comments — so an
    administrator can see who probes other teams' cases, other roles' pages or the API."""

    REFUSED = {401: "unauthenticated", 403: "forbidden", 404: "not found"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in self.REFUSED:
            log_refusal(request, response.status_code)
        return response


def log_refusal(request, status: int) -> None:
    from casework.accounts.clients import client_address

    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    security_log.warning(
        "refused %s %s: %s user=%s address=%s",
        request.method,
        one_line(f"/{match.route}" if match is not None else "(no route)"),
        RefusalLogMiddleware.REFUSED[status],
        user.pk if user is not None and user.is_authenticated else "-",
        one_line(client_address(request)),
        extra={"status_code": status},
    )


def one_line(value: str) -> str:
    """A value from the request, made unable to start a new log line or hide characters."""
    return "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in str(value))[:200]
