"""The read API: a token sees exactly what a member of its teams sees, with the case list's filters and
cursor pages; a case of another team is a 404, and a token without the read scope reads nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from casework.cases import workflow
from casework.cases.lifecycle import Status
from casework.feedback.tokens import TokenRefused, create_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll_token(payroll):
    return create_api_token(label="BI", scopes=["read"], teams=[payroll])[1]


def get(client, url, token, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def two_teams(make_case, payroll, accounting, janis, anna):
    ours = [make_case(team=payroll, comment=f"payroll {n}") for n in range(3)]
    theirs = make_case(team=accounting, comment="accounting secret")
    workflow.claim_case(case=ours[0], actor=janis)
    return ours, theirs


def test_the_case_list_shows_the_tokens_teams_only(client, payroll_token, two_teams):
    ours, theirs = two_teams
    answer = get(client, "/api/v1/cases", payroll_token)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    references = [case["reference"] for case in answer.json()["results"]]
    assert references == [case.reference for case in ours]
    assert theirs.reference not in answer.text and "accounting secret" not in answer.text


def test_a_case_of_another_team_is_a_404_like_one_that_does_not_exist(client, payroll_token, two_teams):
    ours, theirs = two_teams
    mine = get(client, f"/api/v1/cases/{ours[0].reference}", payroll_token)
    assert mine.status_code == 200
    other = get(client, f"/api/v1/cases/{theirs.reference}", payroll_token)
    missing = get(client, "/api/v1/cases/CW-999999", payroll_token)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert get(client, "/api/v1/cases/nonsense", payroll_token).status_code == 404


def test_responses_of_another_teams_cases_are_not_listed(client, payroll_token, two_teams):
    ours, theirs = two_teams
    answer = get(client, "/api/v1/responses", payroll_token)
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert sorted(r["case"] for r in results) == sorted(case.reference for case in ours)
    assert "accounting secret" not in answer.text


def test_an_accounting_token_sees_the_other_side(client, accounting, two_teams):
    ours, theirs = two_teams
    token = create_api_token(scopes=["read"], teams=[accounting])[1]
    assert [c["reference"] for c in get(client, "/api/v1/cases", token).json()["results"]] == [theirs.reference]
    assert get(client, f"/api/v1/cases/{ours[0].reference}", token).status_code == 404
    assert [r["case"] for r in get(client, "/api/v1/responses", token).json()["results"]] == [theirs.reference]


def test_the_case_page_carries_its_timeline_and_what_members_see(client, payroll_token, two_teams, janis):
    case = two_teams[0][0]
    workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="reached", summary="Promised a fix")
    detail = get(client, f"/api/v1/cases/{case.reference}", payroll_token).json()
    kinds = [event["kind"] for event in detail["events"]]
    assert kinds[:2] == ["opened", "assigned"] and "contact" in kinds
    contact = next(event for event in detail["events"] if event["kind"] == "contact")
    assert contact["details"]["summary"] == "Promised a fix" and contact["by"] == "janis"
    assert detail["assignee"] == "janis" and detail["status"] == "in_progress"
    assert detail["respondent"]["email"] == case.respondent.email
    assert detail["responses"][0]["comment"] == "payroll 0"


def test_the_case_lists_filters_apply(client, payroll_token, two_teams, payroll, janis):
    ours, _theirs = two_teams
    workflow.change_status(case=ours[0], to=Status.WAITING, actor=janis)
    waiting = get(client, "/api/v1/cases", payroll_token, status="waiting").json()["results"]
    assert [c["reference"] for c in waiting] == [ours[0].reference]
    unassigned = get(client, "/api/v1/cases", payroll_token, assignee="unassigned").json()["results"]
    assert [c["reference"] for c in unassigned] == [c.reference for c in ours[1:]]
    found = get(client, "/api/v1/cases", payroll_token, q='"payroll 2"').json()["results"]
    assert [c["reference"] for c in found] == [ours[2].reference]
    assert get(client, "/api/v1/cases", payroll_token, team=payroll.pk).json()["results"]


def test_a_bad_filter_or_cursor_is_a_400_naming_it(client, payroll_token, two_teams, accounting):
    answer = get(client, "/api/v1/cases", payroll_token, status="sleeping")
    assert answer.status_code == 400 and "status" in answer.json()["errors"]
    # Another team's id is not a choice, exactly as in the case list's form.
    assert "team" in get(client, "/api/v1/cases", payroll_token, team=accounting.pk).json()["errors"]
    assert "cursor" in get(client, "/api/v1/cases", payroll_token, cursor="bm9wZQ").json()["errors"]
    assert "limit" in get(client, "/api/v1/responses", payroll_token, limit=0).json()["errors"]
    assert "received_after" in get(client, "/api/v1/responses", payroll_token, received_after="2026-01-01T00:00:00").json()["errors"]
    # A NUL in a text filter was a 500 on PostgreSQL (found by the schemathesis run).
    answer = get(client, "/api/v1/responses", payroll_token, product="Pay\x00roll")
    assert answer.status_code == 400 and "product" in answer.json()["errors"]


def test_cursor_pages_walk_every_case_once(client, payroll_token, make_case, payroll):
    made = [make_case(team=payroll).reference for _ in range(5)]
    seen, cursor = [], None
    while True:
        page = get(client, "/api/v1/cases", payroll_token, limit=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [c["reference"] for c in page["results"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == made


@pytest.mark.parametrize("url", ["/api/v1/cases", "/api/v1/cases/CW-1", "/api/v1/responses"])
def test_without_a_read_token_nothing_is_read(client, url, source, payroll, two_teams, janis):
    ingest_only = create_api_token(source=source, label="survey")[1]
    assert client.get(url).status_code == 401
    assert get(client, url, ingest_only).status_code == 401
    assert get(client, url, "cw_nonsense").status_code == 401
    revoked, plaintext = create_api_token(scopes=["read"], teams=[payroll])
    revoked.revoked_at = revoked.created_at
    revoked.save()
    assert get(client, url, plaintext).status_code == 401
    client.force_login(janis)  # a session is not a token
    assert client.get(url).status_code == 401


def test_a_read_token_cannot_ingest(client, payroll_token):
    answer = client.post("/api/v1/responses", {"id": "r-1"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {payroll_token}")
    assert answer.status_code == 401


def test_tokens_are_made_with_their_scopes_and_teams(source, payroll, capsys):
    with pytest.raises(TokenRefused):
        create_api_token(scopes=["ingest"])  # ingest needs a source
    with pytest.raises(TokenRefused):
        create_api_token(source=source, scopes=["read"])  # read needs a team
    call_command("create_api_token", "--scope", "read", "--team", "payroll", "--label", "BI")
    plaintext = capsys.readouterr().out.strip()
    from casework.feedback.tokens import reader_for_token, source_for_token

    assert reader_for_token(plaintext).team_ids == [payroll.pk]
    assert source_for_token(plaintext) is None


def test_the_admin_changes_scopes_and_teams_but_refuses_ingest_without_a_source(client, admin_user, payroll, accounting):
    token, _plaintext = create_api_token(scopes=["read"], teams=[payroll])
    client.force_login(admin_user)
    url = reverse("admin:feedback_apitoken_change", args=[token.pk])
    refused = client.post(url, {"can_read": "on", "can_ingest": "on", "teams": [payroll.pk]})
    assert refused.status_code == 200 and "needs its source" in refused.text
    client.post(url, {"can_read": "on", "teams": [payroll.pk, accounting.pk]})
    assert set(token.teams.all()) == {payroll, accounting}
