"""Each team strategy, and fairness over many cases."""

from collections import Counter

import pytest

from casework.cases.models import Case, Event
from casework.intake.ingestion import ingest
from casework.teams.membership import add_member
from casework.teams.models import Membership, Team

from .conftest import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(payroll, make_user):
    people = [make_user(name) for name in ("janis", "ilze", "liga")]
    for person in people:
        add_member(team=payroll, user=person)
    return people


def open_cases(source, count, start=1):
    results = ingest(source, [item(n) for n in range(start, start + count)])
    assert all(r.status == "created" and r.case for r in results)
    return results


def assignees():
    return Counter(Case.objects.values_list("assignee__username", flat=True))


def test_queue_only_leaves_cases_unassigned(source, routes, payroll, crew):
    payroll.strategy = Team.Strategy.QUEUE
    payroll.save()
    open_cases(source, 5)
    assert assignees() == {None: 5}


def test_round_robin_is_fair_over_100_cases(source, routes, payroll, crew):
    payroll.strategy = Team.Strategy.ROUND_ROBIN
    payroll.save()
    open_cases(source, 100)
    counts = assignees()
    assert set(counts) == {"janis", "ilze", "liga"}
    assert max(counts.values()) - min(counts.values()) <= 1
    order = list(Case.objects.order_by("number").values_list("assignee__username", flat=True)[:6])
    assert order[:3] == order[3:6] and len(set(order[:3])) == 3


def test_round_robin_skips_people_who_are_away(source, routes, payroll, crew):
    payroll.strategy = Team.Strategy.ROUND_ROBIN
    payroll.save()
    Membership.objects.filter(user=crew[1]).update(is_away=True)
    open_cases(source, 10)
    assert assignees() == {"janis": 5, "liga": 5}


def test_least_loaded_gives_new_cases_to_the_people_with_fewest_open_cases(source, routes, payroll, crew):
    payroll.strategy = Team.Strategy.QUEUE
    payroll.save()
    open_cases(source, 6, start=1000)
    Case.objects.update(assignee=crew[0])  # janis already has 6 open cases
    payroll.strategy = Team.Strategy.LEAST_LOADED
    payroll.save()
    open_cases(source, 10)
    assert assignees() == {"janis": 6, "ilze": 5, "liga": 5}


def test_least_loaded_is_fair_over_100_cases(source, routes, payroll, crew):
    payroll.strategy = Team.Strategy.LEAST_LOADED
    payroll.save()
    open_cases(source, 100)
    counts = assignees()
    assert max(counts.values()) - min(counts.values()) <= 1


def test_nobody_available_leaves_the_case_in_the_queue(source, routes, payroll, crew):
    payroll.strategy = Team.Strategy.ROUND_ROBIN
    payroll.save()
    Membership.objects.update(is_away=True)
    open_cases(source, 2)
    assert assignees() == {None: 2}


def test_every_assignment_is_an_event(source, routes, payroll, crew):
    payroll.strategy = Team.Strategy.ROUND_ROBIN
    payroll.save()
    open_cases(source, 3)
    for case in Case.objects.all():
        event = case.events.get(kind=Event.Kind.ASSIGNED)
        assert event.data["to"] == case.assignee.pk


def test_round_robin_gives_a_manager_cases_only_when_she_takes_cases(source, routes, payroll, crew, make_user):
    payroll.strategy = Team.Strategy.ROUND_ROBIN
    payroll.save()
    manager = make_user("maija")
    add_member(team=payroll, user=manager, role=Membership.Role.MANAGER)
    open_cases(source, 6)
    assert "maija" not in assignees()
    Membership.objects.filter(user=manager).update(takes_cases=True)
    open_cases(source, 8, start=100)
    assert assignees()["maija"] == 2


@pytest.mark.parametrize("strategy", [Team.Strategy.ROUND_ROBIN, Team.Strategy.LEAST_LOADED])
def test_members_who_do_not_take_cases_are_skipped(source, routes, payroll, crew, strategy):
    payroll.strategy = strategy
    payroll.save()
    Membership.objects.filter(user=crew[2]).update(takes_cases=False)
    open_cases(source, 10)
    assert assignees() == {"janis": 5, "ilze": 5}


def test_a_member_marked_away_on_the_overview_gets_no_new_case(client, source, routes, payroll, crew, make_user):
    from django.urls import reverse

    payroll.strategy = Team.Strategy.ROUND_ROBIN
    payroll.save()
    manager = make_user("maija")
    add_member(team=payroll, user=manager, role=Membership.Role.MANAGER)
    client.force_login(manager)
    client.post(reverse("insights:member", args=[Membership.objects.get(user=crew[0]).pk]), {"is_away": "1"})
    open_cases(source, 4)
    assert assignees() == {"ilze": 2, "liga": 2}
