"""The case screens show only what the user's teams allow, and show respondent text as text."""

import pytest
from django.urls import reverse

from casework.cases.lifecycle import Status

pytestmark = pytest.mark.django_db


def test_my_cases_lists_open_cases_assigned_to_me_most_urgent_first(client, janis, payroll, make_case):
    from casework.cases import workflow

    low = make_case(team=payroll)
    high = make_case(team=payroll)
    for case, priority in ((low, 1), (high, 4)):
        workflow.assign_case(case=case, assignee=janis, actor=janis)
        type(case).objects.filter(pk=case.pk).update(priority=priority)
    unassigned = make_case(team=payroll)
    client.force_login(janis)
    text = client.get(reverse("cases:mine")).text
    assert text.index(high.reference) < text.index(low.reference)
    assert unassigned.reference not in text


def test_staff_see_their_teams_cases_and_not_others(client, janis, payroll, accounting, make_case):
    mine = make_case(team=payroll)
    theirs = make_case(team=accounting, product="Accounting")
    client.force_login(janis)
    listing = client.get(reverse("cases:list")).text
    assert mine.reference in listing and theirs.reference not in listing
    assert client.get(mine.get_absolute_url()).status_code == 200
    for headers in ({}, {"HX-Request": "true"}):
        assert client.get(theirs.get_absolute_url(), headers=headers).status_code == 404


@pytest.mark.parametrize("reference", ["CW-999999999", "CW-99999999999999999999999", "1001", "CW-1x", "CW-١٢"])
def test_unknown_or_malformed_case_numbers_are_not_found(client, janis, reference):
    client.force_login(janis)
    assert client.get(reverse("cases:detail", kwargs={"reference": reference})).status_code == 404


def test_removing_someone_from_a_team_takes_effect_on_their_next_request(client, janis, payroll, make_case):
    from casework.teams.membership import remove_member

    case = make_case(team=payroll)
    client.force_login(janis)
    assert client.get(case.get_absolute_url()).status_code == 200
    remove_member(team=payroll, user=janis)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_respondent_text_is_shown_as_text(client, janis, payroll, make_case):
    case = make_case(team=payroll, comment='<script>alert("x")</script> & <b>bold</b>')
    client.force_login(janis)
    page = client.get(case.get_absolute_url()).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_the_list_filters_by_status_and_answers_htmx_with_the_results_only(client, janis, payroll, make_case):
    from casework.cases import workflow

    new = make_case(team=payroll)
    started = make_case(team=payroll)
    workflow.change_status(case=started, to=Status.IN_PROGRESS, actor=janis)
    client.force_login(janis)
    page = client.get(reverse("cases:list"), {"status": "in_progress"}).text
    assert started.reference in page and new.reference not in page
    partial = client.get(reverse("cases:list"), {"status": "in_progress"}, headers={"HX-Request": "true"}).text
    assert started.reference in partial
    assert "<html" not in partial and 'id="results"' in partial


@pytest.mark.parametrize(
    "query",
    ["status=lost", "priority=banana", "team=9999", "sort=password", "assignee=nobody", "band=grumpy",
     "created_after=yesterday", "country=LVA"],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_filter_values_are_a_400_that_says_which(client, janis, query, htmx):
    client.force_login(janis)
    response = client.get(reverse("cases:list") + "?" + query, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 400
    assert "Some filters could not be used" in response.text
    assert query.split("=")[0].split("_")[0] in response.text


@pytest.mark.parametrize("query", ["page=abc", "page=99999", "unknown=1", "overdue=perhaps"])
def test_harmless_odd_values_are_ignored(client, janis, query):
    client.force_login(janis)
    assert client.get(reverse("cases:list") + "?" + query).status_code == 200


def test_managers_pages_are_for_managers(client, janis, maija):
    client.force_login(janis)
    assert client.get(reverse("insights:teams")).status_code == 403
    # Staff see only their own cases' loop figures, no answers (tests/insights/test_access.py).
    assert "Closing the loop" in client.get(reverse("insights:dashboard")).text
    client.force_login(maija)
    assert "Payroll" in client.get(reverse("insights:teams")).text
    assert client.get(reverse("insights:dashboard")).status_code == 200


def test_privacy_desk_is_for_privacy_officers(client, janis, dace, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    assert client.get(reverse("privacy:home")).status_code == 403
    client.force_login(dace)
    page = client.get(reverse("privacy:home"), {"q": case.respondent.email}).text
    assert case.respondent.name in page


def test_navigation_offers_only_what_the_user_may_open(client, janis, maija, dace):
    client.force_login(janis)
    nav = client.get(reverse("cases:mine")).text
    assert reverse("insights:teams") not in nav and reverse("privacy:home") not in nav
    client.force_login(maija)
    assert reverse("insights:teams") in client.get(reverse("cases:list")).text
    client.force_login(dace)
    assert reverse("privacy:home") in client.get(reverse("cases:list")).text


def test_a_back_button_restore_gets_the_whole_page(client, janis):
    client.force_login(janis)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get(reverse("cases:list"), {"status": "open"}, headers=headers).text


def test_the_folded_filters_say_how_many_are_in_use(client, janis):
    client.force_login(janis)
    assert ">Filters</summary>" in client.get(reverse("cases:list"), {"sort": "number", "q": " "}).text
    query = {"q": "slow", "status": "open", "created_after": "2026-01-01", "sort": "number"}
    assert ">Filters (3)</summary>" in client.get(reverse("cases:list"), query).text
    fragment = client.get(reverse("cases:list"), query, headers={"HX-Request": "true"}).text
    assert 'id="filter-toggle" hx-swap-oob="true">Filters (3)</summary>' in fragment
    # My cases has no assignee filter to show, so a stray one in the address is not counted.
    assert ">Filters (1)</summary>" in client.get(reverse("cases:mine"), {"status": "open", "assignee": "me"}).text
