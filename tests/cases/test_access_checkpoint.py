"""The access checkpoint's edges: a case shared with one colleague stays hidden from everyone else, a
share never hides one's own team, a manager of another team cannot manage a case shared with them,
and neither a Django-admin staff account nor a deactivated or anonymous one sees any case."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from casework.cases import access, workflow
from casework.cases.lifecycle import Status
from casework.cases.models import Case
from casework.teams.membership import add_member
from casework.teams.models import Membership, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def peter(make_user, accounting):
    """Manager of Accounting."""
    user = make_user("peter")
    add_member(team=accounting, user=user, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def shared_with_anna(make_case, payroll, janis, anna):
    case = make_case(team=payroll)
    workflow.share_case(case=case, actor=janis, colleague=anna)
    return case


def test_a_case_shared_with_a_colleague_stays_hidden_from_a_third_person(client, shared_with_anna, anna, peter, make_case, accounting):
    accounting_case = make_case(team=accounting)
    assert set(access.visible_cases(anna)) == {shared_with_anna, accounting_case}
    # Peter is in Anna's team but nobody shared the Payroll case with him.
    assert set(access.visible_cases(peter)) == {accounting_case}
    client.force_login(peter)
    assert client.get(f"/cases/{shared_with_anna.reference}/").status_code == 404
    assert shared_with_anna.reference not in client.get("/cases/").text


def test_a_share_never_hides_ones_own_team(shared_with_anna, anna, make_case, accounting, payroll, janis):
    own = [make_case(team=accounting) for _ in range(2)]
    assert set(access.visible_cases(anna)) == {shared_with_anna, *own}
    payroll_case = make_case(team=payroll)
    assert set(access.visible_cases(janis)) == {shared_with_anna, payroll_case}


def test_a_manager_of_another_team_cannot_manage_a_case_shared_with_them(make_case, payroll, janis, peter, maija):
    case = make_case(team=payroll)
    workflow.share_case(case=case, actor=janis, colleague=peter)
    assert case in access.visible_cases(peter)
    assert not access.manages_case(peter, case)
    assert not access.may_reopen(peter, case)
    assert not access.may_assign(peter, case, janis)
    with pytest.raises(workflow.WorkflowError):
        workflow.assign_case(case=case, assignee=janis, actor=peter)
    assert Case.objects.get(pk=case.pk).assignee is None
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, closed_at=timezone.now(), close_reason="no_action")
    case.refresh_from_db()
    assert not access.may_move_to(peter, case, Status.IN_PROGRESS)
    assert access.may_move_to(maija, case, Status.IN_PROGRESS)


def test_a_django_admin_staff_account_that_is_not_a_superuser_sees_no_case(make_user, make_case, payroll, client):
    case = make_case(team=payroll)
    staff = make_user("clerk", is_staff=True)
    assert not access.visible_cases(staff).exists()
    assert not access.teams_user_works(staff).exists()
    assert not access.teams_user_manages(staff).exists()
    assert not access.works_team(staff, payroll)
    assert not access.manages_case(staff, case)
    assert not access.may_claim(staff, case)
    client.force_login(staff)
    assert client.get(f"/cases/{case.reference}/").status_code == 404


def test_a_superuser_sees_and_manages_every_team(admin_user, make_case, payroll, accounting):
    cases = {make_case(team=payroll), make_case(team=accounting)}
    assert set(access.visible_cases(admin_user)) == cases
    assert set(access.teams_user_works(admin_user)) == set(access.teams_user_manages(admin_user)) == set(Team.objects.all())
    assert all(access.manages_case(admin_user, case) and access.works_team(admin_user, case.team) for case in cases)


def test_a_deactivated_member_or_an_anonymous_visitor_sees_nothing(janis, maija, make_case, payroll):
    case = make_case(team=payroll)
    for person in (janis, maija):
        assert case in access.visible_cases(person)
        person.is_active = False
        person.save()
        assert not access.visible_cases(person).exists()
        assert not access.teams_user_works(person).exists()
        assert not access.teams_user_manages(person).exists()
    assert not access.visible_cases(AnonymousUser()).exists()
    assert not access.teams_user_manages(AnonymousUser()).exists()


def test_a_manager_demoted_behind_the_services_back_no_longer_manages(maija, make_case, payroll):
    case = make_case(team=payroll)
    assert access.manages_case(maija, case)
    Membership.objects.filter(user=maija).update(role=Membership.Role.STAFF)
    assert not access.manages_case(maija, case)
    assert payroll in access.teams_user_works(maija)


@pytest.mark.parametrize("reference", ["CW-", "CW-0x10", "cw-1", "CW-1 ", "XCW-1", "CW-1234567890", "1"])
def test_a_malformed_reference_is_not_found(client, janis, make_case, payroll, reference):
    case = make_case(team=payroll)
    client.force_login(janis)
    assert client.get(f"/cases/{case.reference}/").status_code == 200
    assert client.get(f"/cases/{reference}/").status_code == 404
