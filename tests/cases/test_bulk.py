"""Bulk actions: all or nothing, and the person is told which cases stood in the way."""

import pytest
from django.urls import reverse

from casework.cases.models import Case, Event

pytestmark = pytest.mark.django_db


def bulk(client, cases, action, value, follow=True):
    data = {"cases": [case.reference for case in cases], "action": action, f"{action}_value": value, "next": reverse("cases:list")}
    return client.post(reverse("cases:bulk"), data, follow=follow)


def test_a_manager_assigns_changes_status_and_tags_several_cases(client, maija, janis, payroll, make_case):
    cases = [make_case(team=payroll) for _ in range(3)]
    client.force_login(maija)
    assert "3 cases changed." in bulk(client, cases, "assign", janis.pk).text
    assert "3 cases changed." in bulk(client, cases, "status", "in_progress").text
    assert "3 cases changed." in bulk(client, cases, "tag", "billing").text
    for case in Case.objects.all():
        assert (case.assignee, case.status) == (janis, "in_progress")
        assert list(case.tags.values_list("name", flat=True)) == ["billing"]
        assert case.events.filter(kind__in=["assigned", "status", "tags"]).count() == 3


def test_one_invalid_transition_stops_them_all(client, maija, payroll, make_case):
    ready, stuck = make_case(team=payroll), make_case(team=payroll)
    Case.objects.filter(pk=ready.pk).update(status="in_progress")
    client.force_login(maija)
    text = bulk(client, [ready, stuck], "status", "resolved").text
    assert f"cannot become Resolved: {stuck.reference}" in text
    assert Case.objects.get(pk=ready.pk).status == "in_progress"
    assert not Event.objects.filter(kind="status").exists()


def test_staff_cannot_bulk_edit(client, janis, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    assert "only team managers" in bulk(client, [case], "tag", "x").text
    assert not case.tags.exists()


@pytest.mark.parametrize(
    ("action", "value", "message"),
    [("explode", "", "Choose what to do"), ("status", "lost", "Choose a status"), ("tag", "", "Write a tag"), ("assign", "999999", "Choose a person")],
)
def test_bad_bulk_input_is_explained(client, maija, payroll, make_case, action, value, message):
    case = make_case(team=payroll)
    client.force_login(maija)
    assert message in bulk(client, [case], action, value).text


def test_nothing_selected(client, maija):
    client.force_login(maija)
    response = client.post(reverse("cases:bulk"), {"action": "tag", "tag_value": "x"}, follow=True)
    assert "Select at least one case." in response.text


def test_the_redirect_stays_on_this_site(client, maija, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(maija)
    response = client.post(reverse("cases:bulk"), {"cases": [case.reference], "action": "tag", "tag_value": "x", "next": "https://evil.example/"})
    assert response["Location"] == reverse("cases:list")
