"""Sign-in throttling, sessions that end with the account, and a log of refused requests (issue 8,
points 3 and 5)."""

import logging
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from casework.accounts.models import StaffSession
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(username, password=PASSWORD, address="203.0.113.7", client=None):
    client = client or Client(REMOTE_ADDR=address)
    return client, client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_guessing_one_account_stops_after_the_limit_even_with_the_right_password(janis, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _client, response = sign_in("janis", "wrong")
        assert response.status_code == 200 and "Please enter a correct username and password" in response.text
    _client, response = sign_in("janis", "wrong")
    assert response.status_code == 429
    client, response = sign_in("janis")
    assert response.status_code == 429 and not signed_in(client)
    assert "Too many failed sign-ins" in response.text


def test_the_account_limit_holds_across_addresses(janis, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in("janis", "wrong", address=f"198.51.100.{attempt + 1}")
    client, response = sign_in("janis", address="192.0.2.200")
    assert response.status_code == 429 and not signed_in(client)


def test_a_locked_account_and_an_unknown_one_get_the_same_answer(janis, settings):
    answers = {}
    for username in ("janis", "nobody-here"):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(username, "wrong", address="192.0.2.1")
        _client, response = sign_in(username, "wrong", address="192.0.2.2")
        page = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": |nonce=)"[^"]+"', "TOKEN", response.text)
        answers[username] = (response.status_code, page.replace(username, "USER"))
    assert answers["janis"] == answers["nobody-here"]


def test_an_office_behind_one_address_is_not_locked_out_by_its_typos(janis, make_user, settings):
    settings.CASEWORK_LOGIN_FAILURES_PER_ADDRESS = 10
    for number in range(9):
        make_user(f"colleague{number}")
        sign_in(f"colleague{number}", "typo", address="192.0.2.50")
    client, _response = sign_in("janis", address="192.0.2.50")
    assert signed_in(client)


def test_many_failures_from_one_address_lock_that_address(janis, make_user, settings):
    settings.CASEWORK_LOGIN_FAILURES_PER_ADDRESS = 10
    for number in range(10):
        sign_in(f"guess{number}", "wrong", address="192.0.2.66")
    client, response = sign_in("janis", address="192.0.2.66")
    assert response.status_code == 429 and not signed_in(client)
    elsewhere, _response = sign_in("janis", address="192.0.2.67")
    assert signed_in(elsewhere)


@pytest.mark.parametrize("username", ["janis\x00", "ja\u202enis", "janis\u200b", "\ud800"[:0] + "jan\x1bis"])
def test_an_odd_username_counts_as_an_attempt_and_gets_the_usual_answer(janis, settings, username):
    settings.CASEWORK_LOGIN_FAILURES_PER_ADDRESS = 3
    for _attempt in range(2):
        _client, response = sign_in(username, address="192.0.2.9")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.text
        assert "Null characters" not in response.text
    _client, response = sign_in(username, address="192.0.2.9")
    client, response = sign_in("janis", address="192.0.2.9")
    assert response.status_code == 429 and not signed_in(client)
    assert AccessAttempt.objects.filter(ip_address="192.0.2.9").exists()


def test_an_administrator_unlocks_an_account(client, janis, admin_user, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in("janis", "wrong")
    client.force_login(admin_user)
    attempts = list(AccessAttempt.objects.filter(username="janis").values_list("pk", flat=True))
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    again, _response = sign_in("janis")
    assert signed_in(again)


def test_deactivating_an_account_ends_its_sessions_for_good(client, admin_user, janis):
    browser, _response = sign_in("janis")
    assert signed_in(browser) and StaffSession.objects.filter(user=janis).exists()
    client.force_login(admin_user)
    form = client.get(reverse("admin:auth_user_change", args=[janis.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name not in ("password", "groups", "user_permissions", "last_login", "date_joined")}
    data.update(is_active="", date_joined_0="2026-01-01", date_joined_1="10:00:00")
    response = client.post(reverse("admin:auth_user_change", args=[janis.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not StaffSession.objects.filter(user=janis).exists()
    get_user_model().objects.filter(pk=janis.pk).update(is_active=True)  # reactivated later
    assert browser.get(reverse("cases:mine")).status_code == 302  # the old cookie is worthless


def test_a_password_change_ends_other_sessions(janis):
    browser, _response = sign_in("janis")
    janis.set_password("a-new-long-password-2026")
    janis.save()
    assert browser.get(reverse("cases:mine")).status_code == 302


def test_another_teams_case_is_logged_with_who_and_where_but_no_names(client, anna, payroll, make_case, caplog):
    case = make_case(team=payroll, comment="Secret complaint")
    client.force_login(anna)
    with caplog.at_level(logging.WARNING, logger="casework.security"):
        assert client.get(f"/cases/{case.reference}/", REMOTE_ADDR="192.0.2.77").status_code == 404
    [record] = [r for r in caplog.records if r.name == "casework.security"]
    line = record.getMessage()
    assert f"user={anna.pk}" in line and "address=192.0.2.77" in line and "/cases/<str:reference>/" in line
    assert "not found" in line
    for personal in ("Secret complaint", case.respondent.email, case.respondent.name, case.reference):
        assert personal not in line


def test_another_roles_page_and_a_bad_token_are_logged(client, janis, caplog):
    client.force_login(janis)
    with caplog.at_level(logging.WARNING, logger="casework.security"):
        assert client.get("/import/").status_code == 403
        assert Client().post("/api/v1/responses", {}, content_type="application/json", headers={"Authorization": "Bearer cw_nope"}).status_code == 401
    lines = [r.getMessage() for r in caplog.records if r.name == "casework.security"]
    assert any("/import/" in line and "forbidden" in line and f"user={janis.pk}" in line for line in lines)
    assert any("/api/v1/responses" in line and "unauthenticated" in line and "user=-" in line for line in lines)


def test_a_forged_address_cannot_forge_a_log_line(client, janis, caplog, settings):
    settings.CASEWORK_TRUSTED_PROXIES = 1
    client.force_login(janis)
    with caplog.at_level(logging.WARNING, logger="casework.security"):
        client.get("/import/", HTTP_X_FORWARDED_FOR="1.2.3.4\r\nrefused GET /admin/ user=1", REMOTE_ADDR="10.0.0.1")
    [line] = [r.getMessage() for r in caplog.records if r.name == "casework.security"]
    assert "\n" not in line and "\r" not in line
