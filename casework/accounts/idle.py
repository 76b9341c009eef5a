"""Sessions end after a period of inactivity (settings.CASEWORK_SESSION_IDLE_MINUTES, 8 hours by
default), not at a fixed time after signing in: someone working all day stays signed in, a computer
left signed in overnight does not.

The session row's expiry (SESSION_COOKIE_AGE, equal to the idle limit) is what the database enforces;
this middleware slides it forward as the person works. It writes the session at most once a minute,
not on every request, so fifty people clicking around do not turn every page view into a write."""

import time

from django.conf import settings

LAST_SEEN = "_casework_last_seen"
# How stale the stored "last seen" may get before a request refreshes it (and the session's expiry).
REFRESH_SECONDS = 60


def now() -> int:
    return int(time.time())


class IdleSessionMiddleware:
    """Placed after SessionMiddleware and before AuthenticationMiddleware, so that a session found idle
    is emptied before anyone reads the user from it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if "_auth_user_id" in session:
            last_seen = session.get(LAST_SEEN)
            if isinstance(last_seen, int) and now() - last_seen > settings.CASEWORK_SESSION_IDLE_MINUTES * 60:
                session.flush()
        response = self.get_response(request)
        # After the view, so that the request that signs in starts the clock too.
        if "_auth_user_id" in session:
            last_seen = session.get(LAST_SEEN)
            if not isinstance(last_seen, int) or now() - last_seen >= REFRESH_SECONDS:
                session[LAST_SEEN] = now()  # a modified session is saved with a fresh expiry
        return response


def start_the_clock(sender, request, user, **kwargs):
    """On signing in (user_logged_in), so that the first page after it need not write the session again."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = now()
