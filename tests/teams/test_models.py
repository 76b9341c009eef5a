import datetime

import pytest
from django.db import IntegrityError, transaction

from casework.teams.membership import add_member, remove_member
from casework.teams.models import Membership, Team

pytestmark = pytest.mark.django_db


def test_unknown_assignment_strategy_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="X", slug="x", strategy="lottery")


def test_working_day_must_end_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="X", slug="x", work_starts=datetime.time(17), work_ends=datetime.time(9))


def test_a_person_joins_a_team_once(payroll, janis):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=payroll, user=janis)


def test_unknown_role_is_refused(payroll, make_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=payroll, user=make_user("x"), role="owner")


def test_membership_and_object_permissions_change_together(payroll, make_user):
    from django.contrib.auth import get_user_model

    user = make_user("x")
    add_member(team=payroll, user=user, role=Membership.Role.MANAGER)
    user = get_user_model().objects.get(pk=user.pk)
    assert user.has_perm("teams.manage_cases", payroll)
    add_member(team=payroll, user=user, role=Membership.Role.STAFF)
    user = get_user_model().objects.get(pk=user.pk)
    assert user.has_perm("teams.work_cases", payroll)
    assert not user.has_perm("teams.manage_cases", payroll)
    remove_member(team=payroll, user=user)
    user = get_user_model().objects.get(pk=user.pk)
    assert not user.has_perm("teams.work_cases", payroll)
