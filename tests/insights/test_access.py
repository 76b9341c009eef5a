"""Who sees which figures: a manager of team A sees nothing of team B in any figure, link or export;
staff see only their own loop figures; administrators see everything."""

import csv
import io
import re

import pytest
from django.urls import reverse

from casework.cases.models import Case, Tag
from casework.insights.tables import NAMES

from .conftest import at, figures, value

pytestmark = pytest.mark.django_db
PARAMS = {"period": "custom", "start": "2025-11-03", "end": "2025-11-16"}


@pytest.fixture
def two_teams(routes, payroll, accounting, case_at, answer, notify, janis):
    """The same story in both teams, with Accounting's numbers twice as big, so any leak shows."""
    tag = Tag.objects.create(name="Accounting only")
    cases = {}
    for team, copies in ((payroll, 1), (accounting, 2)):
        for _ in range(copies):
            closed = case_at(team=team, status="closed", closed_at=at(8), first_contacted_at=at(6), tags=[tag] if copies == 2 else [])
            notify(closed, "sent", when=at(8))
            case_at(team=team, first_contact_due_at=at(7))
            answer(10, product=team.name)
    Case.objects.filter(team=payroll, status="new").update(assignee=janis)
    cases["payroll"] = set(Case.objects.filter(team=payroll).values_list("number", flat=True))
    cases["accounting"] = set(Case.objects.filter(team=accounting).values_list("number", flat=True))
    return cases


def _numbers(tables):
    return {name: [[cell for cell, _link, _numeric in row] for row in table.cells()] for name, table in tables.items()}


def test_a_manager_sees_only_their_teams_figures(maija, admin_user, two_teams):
    mine, everyone = figures(maija), figures(admin_user)
    assert value(mine["loop"], "opened") == 2 and value(everyone["loop"], "opened") == 6
    assert value(mine["loop"], "closed") == 1 and value(mine["recovery"], "closed") == 1
    # Each case's opening answer and one answer without a case, per copy of the story.
    assert mine["scores"].row("nps")["answers"] == 3 and everyone["scores"].row("nps")["answers"] == 9
    assert [row["notifications"] for row in mine["notifications"].rows] == [1]
    assert mine["tags"].rows == [] and [row["name"] for row in mine["products"].rows] == ["Payroll"]
    assert sum(row["cases"] for row in mine["age"].rows) == 1


def test_a_manager_cannot_pick_another_team(client, maija, accounting, two_teams):
    client.force_login(maija)
    answer = client.get(reverse("insights:dashboard"), {**PARAMS, "team": accounting.pk})
    assert answer.status_code == 400
    assert client.get(reverse("insights:export"), {"table": "loop", **{**PARAMS, "team": accounting.pk}}).status_code == 400


def _links(page: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="(/(?:cases|dashboard/responses)/\?[^"]*)"', page)]


def test_every_link_of_a_managers_dashboard_leads_only_to_their_teams_cases(client, maija, two_teams):
    client.force_login(maija)
    page = client.get(reverse("insights:dashboard"), PARAMS).text
    links = _links(page)
    assert len(links) > 10
    for link in links:
        listed = client.get(link).text
        shown = {int(number) for number in re.findall(r"CW-(\d+)", listed)}
        assert not shown & two_teams["accounting"], link


def test_every_export_of_a_manager_leaves_out_the_other_team(client, maija, two_teams):
    client.force_login(maija)
    for name in NAMES:
        answer = client.get(reverse("insights:export"), {"table": name, **PARAMS})
        assert answer.status_code == 200
        rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
        assert "Accounting" not in str(rows), name
    cases = client.get(reverse("insights:case-export")).getvalue().decode("utf-8-sig")
    listed = {int(number) for number in re.findall(r"CW-(\d+)", cases)}
    assert listed == two_teams["payroll"]


def test_the_answer_list_of_a_manager_leaves_out_the_other_team(client, maija, two_teams):
    client.force_login(maija)
    page = client.get(reverse("insights:responses"), PARAMS).text
    assert "3 answers" in page and "Accounting" not in page.split("<tbody>")[1]


def test_staff_see_only_the_loop_figures_of_their_own_cases(client, janis, two_teams):
    mine = figures(janis)
    assert set(mine) == set(NAMES) - {"scores", "bands", "trend"}
    assert value(mine["loop"], "opened") == 1  # the one case assigned to Jānis, not the team's two
    client.force_login(janis)
    page = client.get(reverse("insights:dashboard"), PARAMS)
    assert page.status_code == 200 and "<h2>Scores</h2>" not in page.text and "Closing the loop" in page.text
    assert all("assignee=me" in link for link in _links(page.text))
    assert client.get(reverse("insights:responses"), PARAMS).status_code == 403
    assert client.get(reverse("insights:export"), {"table": "scores", **PARAMS}).status_code == 404


def test_someone_outside_every_team_sees_no_dashboard(client, dace):
    client.force_login(dace)
    assert client.get(reverse("insights:dashboard")).status_code == 403
    assert client.get(reverse("insights:export"), {"table": "loop"}).status_code == 403
