"""Each role lands somewhere useful after signing in (issue 11, point 14): staff on their cases, the
privacy officer on the privacy desk, a manager on the team overview while she holds no case herself."""

import pytest
from django.urls import reverse

from casework.cases import workflow
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def land(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0], response.text


def test_staff_land_on_their_cases_even_with_none(client, janis):
    assert land(client, "janis")[0] == reverse("cases:mine")


def test_a_manager_without_cases_of_her_own_lands_on_the_team_overview(client, maija, janis, payroll, make_case):
    workflow.claim_case(case=make_case(team=payroll), actor=janis)  # the team has work, she has none
    url, page = land(client, "maija")
    assert url == reverse("insights:teams")
    assert "Workload" in page and "Jānis Ozols" in page


def test_a_manager_with_an_open_case_of_her_own_lands_on_my_cases(client, maija, payroll, make_case):
    case = make_case(team=payroll)
    workflow.claim_case(case=case, actor=maija)
    url, page = land(client, "maija")
    assert url == reverse("cases:mine")
    assert case.reference in page


def test_a_managers_filtered_or_htmx_list_is_not_redirected(client, maija):
    client.force_login(maija)
    assert client.get(reverse("cases:mine"), {"q": "slow"}).status_code == 200
    assert client.get(reverse("cases:mine"), headers={"HX-Request": "true"}).status_code == 200
    response = client.get(reverse("cases:mine"))
    assert response["Location"] == reverse("insights:teams")
    assert "HX-Request" in response["Vary"]


def test_the_privacy_officer_lands_on_the_desk(client, dace):
    assert land(client, "dace")[0] == reverse("privacy:home")


def test_an_administrator_keeps_my_cases(client, admin_user, payroll):
    assert land(client, "admin")[0] == reverse("cases:mine")
