"""The demo a newcomer sees: DESIGN.md's users, teams and products, cases in every status."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from casework.cases.lifecycle import Status
from casework.cases.models import Case, Event
from casework.feedback.models import Response
from casework.intake.models import Route

pytestmark = pytest.mark.django_db

DEMO_USERS = {"admin", "dace", "maija", "janis", "ilze", "peter", "anna", "tom"}


@pytest.fixture
def demo(capsys):
    call_command("load_demo", "--if-empty")
    return capsys.readouterr().out


def test_the_demo_has_exactly_the_designed_users_and_prints_their_logins(demo):
    assert set(get_user_model().objects.values_list("username", flat=True)) == DEMO_USERS
    for username in DEMO_USERS:
        assert f"  {username} " in demo
    assert "casework-demo" in demo


@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_every_demo_user_can_sign_in(client, demo, username):
    response = client.post(reverse("login"), {"username": username, "password": "casework-demo"})
    assert response.status_code == 302


def test_teams_roles_and_routes_follow_the_design(demo):
    from casework.cases.access import teams_user_manages, teams_user_works
    from casework.teams.roles import is_privacy_officer

    users = {user.username: user for user in get_user_model().objects.all()}
    assert [team.name for team in teams_user_manages(users["maija"])] == ["Payroll"]
    assert [team.name for team in teams_user_manages(users["peter"])] == ["Accounting"]
    for name, team in [("janis", "Payroll"), ("ilze", "Payroll"), ("anna", "Accounting"), ("tom", "Accounting")]:
        assert [t.name for t in teams_user_works(users[name])] == [team]
        assert not teams_user_manages(users[name]).exists()
    assert is_privacy_officer(users["dace"]) and not is_privacy_officer(users["janis"])
    assert users["admin"].is_superuser
    assert dict(Route.objects.values_list("product", "team__name")) == {"Payroll": "Payroll", "Accounting": "Accounting"}


def test_cases_in_every_status_for_both_teams_with_a_consistent_history(demo):
    for team in ("Payroll", "Accounting"):
        statuses = set(Case.objects.filter(team__name=team).values_list("status", flat=True))
        assert statuses == set(Status.values), team
    for case in Case.objects.all():
        kinds = list(case.events.values_list("kind", flat=True))
        assert kinds[0] == Event.Kind.OPENED
        times = list(case.events.values_list("created_at", flat=True))
        assert times == sorted(times), case
        if case.status == Status.CLOSED:
            assert case.closed_at and case.close_reason
    assert set(Response.objects.values_list("locale", flat=True)) == {"en", "lv"}


def test_loading_again_changes_nothing(demo, capsys):
    before = (Case.objects.count(), Response.objects.count())
    call_command("load_demo", "--if-empty")
    assert "already loaded" in capsys.readouterr().out
    assert (Case.objects.count(), Response.objects.count()) == before
