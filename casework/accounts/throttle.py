"""Failed sign-ins are throttled by django-axes, per account strictly and per client address loosely:
guessing one person's password stops after a few tries from anywhere, while an office of people behind
one address, each mistyping now and then, is not locked out together."""

import unicodedata

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes counts failures per lockout parameter (settings.AXES_LOCKOUT_PARAMETERS is
    ["username", "ip_address"], in that order) against a single limit. The per-address count is
    scaled so that reaching CASEWORK_LOGIN_FAILURES_PER_ADDRESS equals reaching the per-account limit."""

    def get_failures(self, request, credentials=None) -> int:
        from django.db.models import Sum

        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        per_account = settings.AXES_FAILURE_LIMIT
        per_address = settings.CASEWORK_LOGIN_FAILURES_PER_ADDRESS
        return max(by_account, by_address * per_account // per_address)


def username_for_throttling(request, credentials) -> str:
    """The username as typed, made safe to store: NUL and other control characters are shown escaped,
    and a very long one is cut (it is still counted, never refused unseen)."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return "".join(char if not unicodedata.category(char).startswith("C") else repr(char)[1:-1] for char in str(raw))[:150]


def locked_out(request, original_response=None, credentials=None):
    """The same answer whether or not the account exists: only the attempts are known, not the person."""
    from django.contrib.auth.forms import AuthenticationForm

    message = _("Too many failed sign-ins. Wait %(minutes)d minutes and try again, or ask an administrator to unlock the account.") % {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    }
    form = AuthenticationForm(request)
    return render(request, "registration/login.html", {"form": form, "locked_out": message}, status=429)
