"""Lists and the case page run a fixed number of queries however many rows they show (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.cases import workflow

pytestmark = pytest.mark.django_db


def queries(client, url):
    # A warm-up request first: the session's sliding expiry is written at most once a minute, on whichever
    # request comes first, and that write is not what these tests are about.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["cases:mine", "cases:list"])
def test_list_queries_do_not_grow_with_rows(client, maija, payroll, make_case, name):
    client.force_login(maija)
    for _ in range(3):
        workflow.claim_case(case=make_case(team=payroll), actor=maija)
    few = queries(client, reverse(name))
    for _ in range(20):
        workflow.claim_case(case=make_case(team=payroll), actor=maija)
    assert queries(client, reverse(name)) == few


def test_case_page_queries_do_not_grow_with_the_timeline(client, janis, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    workflow.add_note(case=case, actor=janis, text="one")
    few = queries(client, case.get_absolute_url())
    for n in range(10):
        workflow.add_note(case=case, actor=janis, text=f"note {n}")
        workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="no_answer")
    assert queries(client, case.get_absolute_url()) == few
