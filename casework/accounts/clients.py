"""Who is on the other end of a request, for throttling and for the security log."""

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR, or behind `CASEWORK_TRUSTED_PROXIES` reverse proxies the address the nearest
    untrusted hop gave: the right-most entries of X-Forwarded-For are written by our own proxies, the
    left-most by anyone."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.CASEWORK_TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
