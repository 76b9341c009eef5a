"""What a new staff member expects of the case page (issue 11, points 2 and 3)."""

import datetime

import pytest
from django.utils import timezone

from casework.cases import workflow
from casework.cases.models import Case, Event
from casework.outreach import sending
from casework.outreach.optout import record_objection

pytestmark = pytest.mark.django_db


def test_claiming_a_new_case_starts_it(janis, make_case, payroll):
    case = make_case(team=payroll)
    workflow.claim_case(case=case, actor=janis)
    case.refresh_from_db()
    assert (case.status, case.assignee) == ("in_progress", janis)
    assert list(case.events.values_list("kind", flat=True)) == ["opened", "assigned", "status"]


def test_claiming_a_case_already_in_progress_leaves_its_status(janis, maija, make_case, payroll):
    case = make_case(team=payroll)
    workflow.change_status(case=case, to="in_progress", actor=maija)
    workflow.change_status(case=case, to="waiting", actor=maija)
    workflow.claim_case(case=case, actor=janis)
    assert Case.objects.get(pk=case.pk).status == "waiting"


@pytest.mark.parametrize(
    "direction, outcome, starts",
    [("outbound", "reached", True), ("outbound", "no_answer", False), ("outbound", "left_message", False), ("inbound", "reached", False)],
)
def test_reaching_the_respondent_starts_a_new_case(janis, make_case, payroll, direction, outcome, starts):
    case = make_case(team=payroll)
    workflow.log_contact(case=case, actor=janis, channel="phone", direction=direction, outcome=outcome)
    case.refresh_from_db()
    assert case.status == ("in_progress" if starts else "new")
    assert case.events.filter(kind=Event.Kind.STATUS).count() == (1 if starts else 0)


def page(client, user, case):
    client.force_login(user)
    return client.get(case.get_absolute_url()).content.decode()


def test_the_timeline_names_people_not_usernames(client, maija, janis, anna, make_case, payroll):
    case = make_case(team=payroll)
    workflow.assign_case(case=case, assignee=janis, actor=maija)
    workflow.share_case(case=case, actor=janis, colleague=anna)
    html = page(client, maija, case)
    assert "→ Jānis Ozols" in html and "→ Anna Smith" in html
    assert "→ janis" not in html and "→ anna" not in html


def test_what_we_did_is_on_the_timeline_with_its_summary(client, janis, make_case, payroll):
    case = make_case(team=payroll)
    workflow.record_action(case=case, actor=janis, action_summary="Released the payslip fix", tags=["slow payslips"])
    html = page(client, janis, case)
    timeline = html[html.index('id="timeline"'):]
    assert "Released the payslip fix" in timeline and "slow payslips" in timeline


def test_a_sent_email_is_one_line_that_shows_its_state(client, janis, make_case, payroll, django_capture_on_commit_callbacks):
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(status="resolved", assignee=janis, action_summary="Fixed")
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        sending.queue_closing_notification(case=case, actor=janis, subject="We fixed it", body="Hello", locale="en")
    assert case.events.filter(kind=Event.Kind.NOTIFICATION).count() == 2  # queued, then sent
    timeline = page(client, janis, case).split('id="timeline"')[1]
    assert timeline.count("We fixed it") == 1 and "<strong>Sent</strong>" in timeline


def test_an_objection_shows_on_a_case_already_closed(client, maija, make_case, payroll):
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now(), close_reason="no_action")
    record_objection(case.respondent, how="one-click opt-out")
    assert case.events.filter(kind=Event.Kind.PRIVACY).exists()
    assert "Privacy action" in page(client, maija, case)


def test_the_header_says_how_long_the_first_contact_took(client, janis, make_case, payroll):
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - datetime.timedelta(hours=6))
    case.refresh_from_db()
    workflow.log_contact(
        case=case, actor=janis, channel="phone", direction="outbound", outcome="reached",
        contacted_at=case.created_at + datetime.timedelta(hours=5, minutes=10),
    )
    assert "first contact after 5 hours" in page(client, janis, case)
