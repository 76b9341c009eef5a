"""Defects found in review, each pinned by the behaviour a user would notice."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casework.cases import workflow
from casework.cases.models import Case, Notice
from casework.feedback.models import Response

pytestmark = pytest.mark.django_db


def test_an_address_the_mail_library_refuses_fails_visibly_and_does_not_block_the_queue(make_case, payroll, janis, settings):
    from casework.outreach import sending
    from casework.outreach.models import Notification

    cases = [make_case(team=payroll) for _ in range(2)]
    for case in cases:
        case.respondent.__class__.objects.filter(pk=case.respondent_id).update(email="", name="x")
    bad, good = cases
    bad.respondent.__class__.objects.filter(pk=bad.respondent_id).update(email="anna@exa mple.com")
    good.respondent.__class__.objects.filter(pk=good.respondent_id).update(email="ok@example.com")
    for case in cases:
        Notification.objects.create(case=case, respondent_id=case.respondent_id, subject="Thanks", body="Fixed.",
                                    queued_at=timezone.now(), next_attempt_at=timezone.now() - datetime.timedelta(seconds=len(case.reference)))
    outcome = sending.send_due()
    assert outcome.get("sent") == 1
    failed = Notification.objects.get(case=bad)
    assert failed.status == "failed" and failed.last_error


def test_enter_in_the_bulk_tag_box_adds_the_tag(client, maija):
    client.force_login(maija)
    page = client.get(reverse("cases:list")).text
    form = page.split('id="bulk-form"')[1].split("</form>")[0]
    first_button = form.split("<button")[1]
    assert 'value="tag"' in first_button


def test_far_away_dates_are_a_400_not_a_crash(client, janis):
    client.force_login(janis)
    assert client.get(reverse("cases:list") + "?created_after=0001-01-01").status_code == 400


@pytest.mark.parametrize(
    ("raw", "status"),
    [("[" * 100000 + "]" * 100000, 400), ('{"score": 1' + "0" * 5000 + "}", 400)],
)
def test_absurd_json_is_a_400(client, source, raw, status):
    from casework.feedback.tokens import create_api_token

    token = create_api_token(source=source)[1]
    response = client.generic("POST", "/api/v1/responses", raw, content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == status


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"answered_at": "0001-01-01T00:00:00+05:00"}, "answered_at"), ({"answered_at": "0001-01-01T00:00:00Z"}, "answered_at"),
     ({"comment": "bad \ud800 text"}, "comment"), ({"product": "\ud800"}, "product")],
)
def test_impossible_values_are_field_errors(client, source, changes, field):
    from casework.feedback.tokens import create_api_token
    from tests.intake.conftest import item

    token = create_api_token(source=source)[1]
    body = json.dumps(item(**changes))
    response = client.generic("POST", "/api/v1/responses", body, content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    [result] = response.json()["results"]
    assert result["status"] == "invalid" and field in result["errors"]
    assert not Response.objects.exists()


def test_a_csv_with_an_absurd_row_keeps_the_good_ones(tmp_path, source, capsys):
    from tests.intake.conftest import answered

    path = tmp_path / "r.csv"
    path.write_text(
        "id,metric,score,answered_at\n"
        f"a,nps,{'9' * 5000},{answered()}\n"
        "b,nps,3,0001-01-01T00:00:00+05:00\n"
        f"c,nps,9,{answered()}\n",
        encoding="utf-8",
    )
    call_command("import_responses", str(path), "--source", source.slug, "--quiet-progress")
    out = capsys.readouterr().out
    assert "1 created" in out and "2 refused" in out
    assert list(Response.objects.values_list("external_id", flat=True)) == ["c"]


def test_a_bulk_assignee_in_superscript_digits_is_refused(client, maija, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(maija)
    response = client.post(reverse("cases:bulk"), {"cases": [case.reference], "action": "assign", "assign_value": "²"}, follow=True)
    assert "Choose a person" in response.text


def test_a_reopened_case_needs_a_new_closing_email(make_case, payroll, maija):
    from casework.outreach.models import Notification

    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(status="resolved")
    case.refresh_from_db()
    Notification.objects.create(case=case, subject="Thanks", body="Fixed.", status="sent", sent_at=timezone.now(), queued_at=timezone.now())
    workflow.change_status(case=case, to="closed", actor=maija)
    workflow.change_status(case=case, to="in_progress", actor=maija)
    workflow.change_status(case=case, to="resolved", actor=maija)
    with pytest.raises(workflow.WorkflowError, match="Send the closing e-mail first"):
        workflow.change_status(case=case, to="closed", actor=maija)


def test_staff_are_not_offered_a_reopen_they_may_not_do_nor_can_they_claim_a_closed_case(client, janis, maija, payroll, make_case):
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now(), close_reason="no_action")
    client.force_login(janis)
    assert 'name="status-to"' not in client.get(case.get_absolute_url()).text
    with pytest.raises(workflow.WorkflowError, match="closed"):
        workflow.claim_case(case=Case.objects.get(pk=case.pk), actor=janis)
    client.force_login(maija)
    assert 'name="status-to"' in client.get(case.get_absolute_url()).text


def test_an_inbound_contact_does_not_stop_the_first_contact_clock(make_case, payroll, janis):
    case = make_case(team=payroll)
    workflow.log_contact(case=case, actor=janis, channel="phone", direction="inbound", outcome="reached")
    assert Case.objects.get(pk=case.pk).first_contacted_at is None


def test_the_notice_count_only_counts_visible_cases(client, maija, payroll, make_case):
    from casework.teams.membership import remove_member

    case = make_case(team=payroll)
    Notice.objects.create(user=maija, case=case, kind="overdue_first_contact")
    client.force_login(maija)
    assert "Notices (1)" in client.get(reverse("cases:list")).text
    remove_member(team=payroll, user=maija)
    assert "Notices (1)" not in client.get(reverse("cases:list")).text


def test_one_case_changed_is_singular(client, maija, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(maija)
    response = client.post(reverse("cases:bulk"), {"cases": [case.reference], "action": "tag", "tag_value": "x"}, follow=True)
    assert "1 case changed." in response.text
