"""Sessions end after 8 hours without activity, not while someone works; passwords must be strong
(issue 16, point 2)."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.accounts import idle
from casework.accounts.models import StaffSession
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
EIGHT_HOURS = 8 * 60 * 60


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved by hand."""
    state = {"now": idle.now()}
    monkeypatch.setattr(idle, "now", lambda: state["now"])
    return state


def signed_in_browser(username="janis"):
    browser = Client()
    response = browser.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def session_row(browser) -> StaffSession:
    return StaffSession.objects.get(session_key=browser.cookies["sessionid"].value)


def test_the_default_is_eight_hours_of_inactivity(settings):
    assert settings.CASEWORK_SESSION_IDLE_MINUTES == 8 * 60
    assert settings.SESSION_COOKIE_AGE == EIGHT_HOURS


def test_working_all_day_keeps_the_session(janis, clock):
    browser = signed_in_browser()
    for _hour in range(12):  # a request every hour for twelve hours: longer than the limit in total
        clock["now"] += 60 * 60
        StaffSession.objects.filter(pk=session_row(browser).pk).update(
            expire_date=timezone.now() + datetime.timedelta(hours=7)  # what the last save left, an hour on
        )
        response = browser.get(reverse("cases:mine"))
        assert response.status_code == 200
        remaining = session_row(browser).expire_date - timezone.now()
        assert remaining > datetime.timedelta(hours=7, minutes=58)  # slid forward to a full 8 h
        assert int(response.cookies["sessionid"]["max-age"]) == EIGHT_HOURS


def test_a_session_left_alone_for_eight_hours_ends(janis, clock):
    browser = signed_in_browser()
    clock["now"] += EIGHT_HOURS + 60
    response = browser.get(reverse("cases:mine"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not StaffSession.objects.filter(user=janis).exists()


def test_the_database_expiry_alone_ends_an_idle_session(janis):
    """Even if no request ever comes to notice the idleness, the row itself expires."""
    browser = signed_in_browser()
    StaffSession.objects.filter(user=janis).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = browser.get(reverse("cases:mine"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_requests_within_a_minute_do_not_rewrite_the_session(janis, clock):
    browser = signed_in_browser()
    browser.get(reverse("cases:mine"))
    before = session_row(browser).expire_date
    clock["now"] += 30
    response = browser.get(reverse("cases:mine"))
    assert "sessionid" not in response.cookies
    assert session_row(browser).expire_date == before


def test_a_shorter_limit_from_the_setting(janis, clock, settings):
    settings.CASEWORK_SESSION_IDLE_MINUTES = 30
    browser = signed_in_browser()
    clock["now"] += 29 * 60
    assert browser.get(reverse("cases:mine")).status_code == 200
    clock["now"] += 31 * 60
    assert browser.get(reverse("cases:mine")).status_code == 302


@pytest.mark.parametrize(
    "password, complaint",
    [
        ("short-pw1", "too short"),
        ("password1234", "too common"),
        ("314159265358979", "entirely numeric"),
        ("janis.ozols@example", "too similar"),
    ],
)
def test_weak_passwords_are_refused(janis, password, complaint):
    janis.email = "janis.ozols@example.com"
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=janis)
    assert complaint in " ".join(refused.value.messages)


def test_an_administrator_cannot_set_a_weak_password(client, admin_user, janis):
    janis.email = "janis.ozols@example.com"
    janis.save()
    client.force_login(admin_user)
    url = reverse("admin:auth_user_password_change", args=[janis.pk])
    response = client.post(url, {"password1": "password1234", "password2": "password1234", "usable_password": "true"})
    assert response.status_code == 200 and "too common" in response.text
    response = client.post(url, {"password1": "Kalnu-ezers-2026", "password2": "Kalnu-ezers-2026", "usable_password": "true"})
    assert response.status_code == 302
    janis.refresh_from_db()
    assert janis.check_password("Kalnu-ezers-2026")
