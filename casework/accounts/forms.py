"""The sign-in form: Django's, except that a username that could not be anybody's (NUL bytes, control
or invisible format characters) still counts as a failed attempt, and gets the same answer as a wrong
password, instead of a different error that would skip the throttle."""

import unicodedata

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed


def _odd(username: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") for char in username)


class CountEveryAttempt:
    def clean(self):
        raw = self.data.get(self.add_prefix("username"), "")
        if isinstance(raw, str) and _odd(raw):
            self._errors.pop("username", None)  # one answer for every failed sign-in
            user_login_failed.send(sender=__name__, credentials={"username": raw}, request=self.request)
            raise self.get_invalid_login_error()
        return super().clean()


class LoginForm(CountEveryAttempt, AuthenticationForm):
    pass


class AdminLoginForm(CountEveryAttempt, AdminAuthenticationForm):
    pass
