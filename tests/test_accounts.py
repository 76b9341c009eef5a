"""Signing in and out, and the language switch."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

from tests.conftest import PASSWORD  # noqa: E402


def test_sign_in_lands_on_my_cases(client, janis):
    response = client.post(reverse("login"), {"username": "janis", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:mine")
    assert "My cases" in response.text
    assert "Jānis Ozols" in response.text


def test_wrong_password_is_refused_with_a_message(client, janis):
    response = client.post(reverse("login"), {"username": "janis", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert "_auth_user_id" not in client.session


def test_sign_out_ends_the_session(client, janis):
    client.force_login(janis)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("cases:mine")).status_code == 302


def test_sign_out_needs_a_post(client, janis):
    client.force_login(janis)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("cases:mine")).status_code == 200


def test_the_login_page_can_switch_to_latvian(client):
    response = client.post(reverse("set_language"), {"language": "lv", "next": reverse("login")}, follow=True)
    assert response.status_code == 200
    assert '<html lang="lv">' in response.text
    assert "Pieteikties" in response.text
