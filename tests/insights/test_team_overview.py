"""The team overview (issue 11, point 10): per person open, overdue and waiting counts of the cases the
manager may see, and marking a member away or back, or as taking new cases, from there — by that
team's managers and administrators only."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.cases import workflow
from casework.cases.models import Case
from casework.teams.membership import add_member
from casework.teams.models import Membership

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def peter(make_user, accounting):
    user = make_user("peter", first_name="Peter", last_name="Brown")
    add_member(team=accounting, user=user, role=Membership.Role.MANAGER)
    return user


def member(user, team):
    return Membership.objects.get(user=user, team=team)


def test_each_person_has_open_overdue_and_waiting_counts(client, maija, janis, anna, payroll, accounting, make_case):
    past = timezone.now() - datetime.timedelta(hours=2)
    cases = [make_case(team=payroll) for _ in range(5)]
    for case in cases:
        workflow.assign_case(case=case, assignee=janis)
    Case.objects.filter(pk=cases[0].pk).update(first_contact_due_at=past)  # first contact late
    Case.objects.filter(pk=cases[1].pk).update(resolution_due_at=past, first_contacted_at=past)  # resolution late
    for case in cases[2:4]:
        workflow.change_status(case=case, to="in_progress")
        workflow.change_status(case=case, to="waiting")
    Case.objects.filter(pk=cases[4].pk).update(status="closed", closed_at=past, first_contact_due_at=past)
    other = make_case(team=accounting)
    workflow.assign_case(case=other, assignee=anna)

    client.force_login(maija)
    response = client.get(reverse("insights:teams"))
    counts = {m.user.username: (m.open_count, m.overdue_count, m.waiting_count) for m in response.context["members"]}
    assert counts == {"janis": (4, 2, 2), "maija": (0, 0, 0)}  # the closed case and Accounting's are not counted
    (team,) = response.context["teams"]
    assert (team.open_count, team.overdue_count, team.waiting_count, team.first_contact_overdue_count) == (4, 2, 2, 1)
    row = response.text.split(f'id="member-{member(janis, payroll).pk}"')[1].split("</tr>")[0]
    assert [cell.split(">")[-1] for cell in row.split("</td>")[3:6]] == ["4", "2", "2"]
    assert "Anna" not in response.text


def test_a_manager_marks_a_member_away_and_back(client, maija, janis, payroll):
    client.force_login(maija)
    url = reverse("insights:member", args=[member(janis, payroll).pk])
    response = client.post(url, {"is_away": "1"}, follow=True)
    assert member(janis, payroll).is_away
    assert "Saved for Jānis Ozols." in response.text and "Mark back" in response.text
    entry = LogEntry.objects.get(object_id=str(member(janis, payroll).pk))
    assert entry.user == maija and "away" in entry.get_change_message()

    response = client.post(url, {"is_away": "0"}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="workload"') and "<html" not in response.text
    assert "Mark away" in response.text
    assert not member(janis, payroll).is_away


def test_a_manager_flags_who_takes_new_cases(client, maija, janis, payroll):
    client.force_login(maija)
    assert member(janis, payroll).takes_cases and not member(maija, payroll).takes_cases
    client.post(reverse("insights:member", args=[member(maija, payroll).pk]), {"takes_cases": "1"})
    client.post(reverse("insights:member", args=[member(janis, payroll).pk]), {"takes_cases": "0"})
    assert member(maija, payroll).takes_cases and not member(janis, payroll).takes_cases


def test_who_must_not_change_a_members_flags(client, maija, janis, anna, peter, dace, payroll):
    url = reverse("insights:member", args=[member(janis, payroll).pk])
    for outsider, status in ((janis, 403), (dace, 403), (anna, 403), (peter, 404)):
        client.force_login(outsider)
        for headers in ({}, HTMX):
            assert client.post(url, {"is_away": "1"}, headers=headers).status_code == status, outsider
    assert not member(janis, payroll).is_away
    assert not LogEntry.objects.exists()


def test_an_administrator_may_and_a_get_does_nothing(client, admin_user, janis, payroll):
    client.force_login(admin_user)
    url = reverse("insights:member", args=[member(janis, payroll).pk])
    assert client.get(url, {"is_away": "1"}).status_code == 405
    assert not member(janis, payroll).is_away
    assert client.post(url, {"is_away": "1"}).status_code == 302
    assert member(janis, payroll).is_away


def test_the_change_needs_the_csrf_token(maija, janis, payroll):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(maija)
    assert browser.post(reverse("insights:member", args=[member(janis, payroll).pk]), {"is_away": "1"}).status_code == 403
    assert not member(janis, payroll).is_away


@pytest.mark.parametrize("data", [{}, {"is_away": "maybe"}, {"takes_cases": "yes"}])
def test_bad_values_are_a_400_naming_the_field(client, maija, janis, payroll, data):
    client.force_login(maija)
    response = client.post(reverse("insights:member", args=[member(janis, payroll).pk]), data)
    assert response.status_code == 400
    assert (next(iter(data)) if data else "away") in response.text
    assert not LogEntry.objects.exists()


def test_an_unchanged_flag_writes_no_history(client, maija, janis, payroll):
    client.force_login(maija)
    client.post(reverse("insights:member", args=[member(janis, payroll).pk]), {"is_away": "0"})
    assert not LogEntry.objects.exists()
