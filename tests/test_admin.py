"""The admin is where administrators configure Casework: every page opens, and joining a team there
grants the same rights as the membership service."""

import pytest
from django.contrib import admin
from django.urls import reverse

from casework.cases.access import teams_user_works
from casework.teams.models import Membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", [model for model in admin.site._registry if model._meta.app_label in {"teams", "feedback", "cases", "intake", "outreach"}],
    ids=lambda model: model._meta.label,
)
def test_every_configuration_page_opens(client, admin_user, model, payroll, make_case):
    make_case(team=payroll)
    client.force_login(admin_user)
    info = model._meta.app_label, model._meta.model_name
    assert client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(type("R", (), {"user": admin_user})()):
        assert client.get(reverse("admin:%s_%s_add" % info)).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert client.get(reverse("admin:%s_%s_change" % (*info,), args=[obj.pk])).status_code == 200


def test_adding_a_member_in_the_admin_grants_access_to_the_team(client, admin_user, payroll, make_user):
    newcomer = make_user("liga")
    client.force_login(admin_user)
    form = {
        "name": payroll.name, "slug": payroll.slug, "strategy": payroll.strategy, "time_zone": payroll.time_zone,
        "work_starts": "09:00", "work_ends": "17:00",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": newcomer.pk, "memberships-0-role": "manager", "memberships-0-team": payroll.pk,
    }
    response = client.post(reverse("admin:teams_team_change", args=[payroll.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(teams_user_works(newcomer)) == [payroll]
    membership = Membership.objects.get(user=newcomer)
    assert membership.role == "manager"

    form.update({"memberships-INITIAL_FORMS": "1", "memberships-0-id": membership.pk, "memberships-0-DELETE": "on"})
    response = client.post(reverse("admin:teams_team_change", args=[payroll.pk]), form)
    assert response.status_code == 302
    assert not teams_user_works(newcomer).exists()


def test_creating_a_token_in_the_admin_shows_it_once(client, admin_user, source):
    from casework.feedback.tokens import source_for_token

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:feedback_source_changelist"),
        {"action": "create_token", "_selected_action": [source.pk]},
        follow=True,
    )
    text = response.content.decode()
    token = text.split("shown only once): ")[1].split("<")[0].strip()
    assert source_for_token(token) == source
    assert token not in client.get(reverse("admin:feedback_source_change", args=[source.pk])).content.decode()


def test_the_admin_refuses_an_encoded_word_in_a_respondents_name(client, admin_user):
    from casework.feedback.models import Respondent

    person = Respondent.objects.create(name="Anna", email="anna@example.com")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:feedback_respondent_change", args=[person.pk]),
        {"name": "=?UTF-8?Q?Bob=0ABcc:_x@evil.example?=", "email": "anna@example.com", "company": "", "country": "", "locale": "",
         "identities-TOTAL_FORMS": "0", "identities-INITIAL_FORMS": "0", "identities-MIN_NUM_FORMS": "0", "identities-MAX_NUM_FORMS": "1000"},
    )
    assert response.status_code == 200 and "not an e-mail encoded word" in response.text
    person.refresh_from_db()
    assert person.name == "Anna"
