"""Every path that ends or changes a membership ends or changes access at once, for the person's old
session and a new sign-in alike (issue 8, point 1). Each test starts from a member who can open a case of
the team and checks the same person afterwards."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from casework.cases.access import teams_user_manages, teams_user_works, visible_cases
from casework.teams.membership import add_member
from casework.teams.models import Membership, Team, TeamUserObjectPermission
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client, admin_user, payroll, janis, make_case):
    case = make_case(team=payroll)
    url = reverse("cases:detail", args=[case.reference])
    member = client.__class__()
    member.force_login(janis)
    assert member.get(url).status_code == 200
    admin = client.__class__()
    admin.force_login(admin_user)
    return member, admin, url, case


def assert_locked_out(member, url, user):
    assert member.get(url).status_code in (302, 404)
    assert case_numbers(member) == []
    fresh = member.__class__()
    fresh.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    if "_auth_user_id" in fresh.session:
        assert fresh.get(url).status_code == 404
        assert case_numbers(fresh) == []
    user = get_user_model().objects.filter(pk=user.pk).first()
    if user is not None:
        assert not visible_cases(user).exists()


def case_numbers(client):
    response = client.get(reverse("cases:list"))
    return [] if response.status_code != 200 else list(response.context["page"].object_list)


def test_deleting_the_membership_from_the_admin_list(setup, janis):
    member, admin, url, _case = setup
    membership = Membership.objects.get(user=janis)
    response = admin.post(reverse("admin:teams_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert_locked_out(member, url, janis)
    assert not TeamUserObjectPermission.objects.filter(user=janis).exists()


def test_the_bulk_delete_action(setup, janis, maija):
    member, admin, url, _case = setup
    response = admin.post(
        reverse("admin:teams_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [Membership.objects.get(user=janis).pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert_locked_out(member, url, janis)
    assert teams_user_works(maija).exists()  # the others are untouched


def test_deleting_the_team(setup, janis, payroll):
    member, _admin, url, case = setup
    case.delete()  # cases protect their team; an empty team can go
    Team.objects.filter(pk=payroll.pk).delete()
    assert not teams_user_works(janis).exists()
    assert not TeamUserObjectPermission.objects.filter(user=janis).exists()


def test_deleting_the_user(setup, janis):
    member, admin, url, _case = setup
    response = admin.post(reverse("admin:auth_user_delete", args=[janis.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert_locked_out(member, url, janis)
    assert not TeamUserObjectPermission.objects.filter(user_id=janis.pk).exists()


def test_deactivating_the_user(setup, janis):
    member, admin, url, _case = setup
    get_user_model().objects.filter(pk=janis.pk).update(is_active=False)
    janis.refresh_from_db()
    assert_locked_out(member, url, janis)


def test_demoting_a_manager_in_the_admin(client, admin_user, maija, payroll):
    admin = client
    admin.force_login(admin_user)
    membership = Membership.objects.get(user=maija)
    response = admin.post(
        reverse("admin:teams_membership_change", args=[membership.pk]), {"role": "staff", "is_away": ""}
    )
    assert response.status_code == 302
    assert not teams_user_manages(maija).exists()
    assert list(teams_user_works(maija)) == [payroll]
    manager = client.__class__()
    manager.force_login(maija)
    assert manager.get(reverse("insights:teams")).status_code == 403


def test_a_role_changed_behind_the_services_back_counts_at_once(maija):
    Membership.objects.filter(user=maija).update(role=Membership.Role.STAFF)
    assert not teams_user_manages(maija).exists()
    assert teams_user_works(maija).exists()


def test_promoting_a_member_grants_management(janis, payroll):
    add_member(team=payroll, user=janis, role=Membership.Role.MANAGER)
    assert list(teams_user_manages(janis)) == [payroll]
    add_member(team=payroll, user=janis, role=Membership.Role.STAFF)
    assert not teams_user_manages(janis).exists()
    assert TeamUserObjectPermission.objects.filter(user=janis).count() == 1


def test_the_database_refuses_to_delete_a_membership_and_leave_its_grants(janis):
    membership = Membership.objects.get(user=janis)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's foreign keys are deferred
            cursor.execute(f"DELETE FROM {Membership._meta.db_table} WHERE id = %s", [membership.pk])
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_key_check")
                if cursor.fetchall():
                    raise IntegrityError("foreign key check failed")


def test_a_new_manager_oversees_unless_told_and_the_admin_sets_the_flag(client, admin_user, maija, janis, payroll):
    assert not Membership.objects.get(user=maija).takes_cases
    assert Membership.objects.get(user=janis).takes_cases
    client.force_login(admin_user)
    membership = Membership.objects.get(user=maija)
    url = reverse("admin:teams_membership_change", args=[membership.pk])
    assert "takes_cases" in client.get(url).text
    response = client.post(url, {"role": "manager", "is_away": "", "takes_cases": "on"})
    assert response.status_code == 302
    assert Membership.objects.get(user=maija).takes_cases
    assert teams_user_manages(maija).exists()
