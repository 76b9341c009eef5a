"""The workflow service: every allowed and refused transition, and the rules around them."""

import itertools

import pytest
from django.utils import timezone

from casework.cases import workflow
from casework.cases.lifecycle import TRANSITIONS, Status
from casework.cases.models import Case, Event

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(Status.values, Status.values))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in TRANSITIONS[a]]


def case_in(status, make_case, team):
    case = make_case(team=team)
    fields = {"status": status}
    if status == Status.CLOSED:
        fields.update(closed_at=timezone.now(), close_reason="no_action")
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("start", "to"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_allowed_transitions_change_the_case_and_write_one_event(start, to, make_case, payroll, maija):
    case = case_in(start, make_case, payroll)
    before = case.events.count()
    workflow.change_status(case=case, to=to, actor=maija, reason="unreachable" if to == Status.CLOSED else "")
    case.refresh_from_db()
    assert case.status == to
    assert case.events.count() == before + 1
    event = case.events.last()
    assert (event.kind, event.data["from"], event.data["to"], event.actor) == (Event.Kind.STATUS, start, to, maija)
    assert (case.closed_at is not None) == (to == Status.CLOSED)


@pytest.mark.parametrize(("start", "to"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_refused_transitions_change_nothing(start, to, make_case, payroll, maija):
    case = case_in(start, make_case, payroll)
    before = (case.version, case.events.count())
    with pytest.raises(workflow.WorkflowError, match="cannot become"):
        workflow.change_status(case=case, to=to, actor=maija, reason="unreachable")
    case.refresh_from_db()
    assert case.status == start and (case.version, case.events.count()) == before


def test_unknown_status_is_refused(make_case, payroll, maija):
    with pytest.raises(workflow.WorkflowError):
        workflow.change_status(case=make_case(team=payroll), to="lost", actor=maija)


def test_closing_needs_a_closing_email_or_a_reason(make_case, payroll, maija):
    case = case_in(Status.RESOLVED, make_case, payroll)
    with pytest.raises(workflow.WorkflowError, match="Send the closing e-mail first"):
        workflow.change_status(case=case, to=Status.CLOSED, actor=maija)
    with pytest.raises(workflow.WorkflowError, match="valid reason"):
        workflow.change_status(case=case, to=Status.CLOSED, actor=maija, reason="bored")
    workflow.change_status(case=case, to=Status.CLOSED, actor=maija, reason="objected")
    case.refresh_from_db()
    assert case.close_reason == "objected" and case.closed_at


def test_closing_after_a_queued_closing_email(make_case, payroll, maija):
    from casework.outreach.models import Notification

    case = case_in(Status.RESOLVED, make_case, payroll)
    Notification.objects.create(case=case, subject="We fixed it", body="...", queued_at=timezone.now())
    workflow.change_status(case=case, to=Status.CLOSED, actor=maija)
    case.refresh_from_db()
    assert case.close_reason == "notified"


def test_only_managers_reopen(make_case, payroll, janis, maija):
    case = case_in(Status.CLOSED, make_case, payroll)
    with pytest.raises(workflow.WorkflowError, match="Only a manager"):
        workflow.change_status(case=case, to=Status.IN_PROGRESS, actor=janis)
    workflow.change_status(case=case, to=Status.IN_PROGRESS, actor=maija)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.closed_at is None and case.close_reason == ""


def test_a_stale_version_is_refused_and_nothing_is_overwritten(make_case, payroll, janis, maija):
    case = make_case(team=payroll)
    seen = case.version
    workflow.change_status(case=case, to=Status.IN_PROGRESS, actor=maija, expected_version=seen)
    other_view = Case.objects.get(pk=case.pk)
    with pytest.raises(workflow.CaseChanged, match="changed by someone else"):
        workflow.add_note(case=other_view, actor=janis, text="late", expected_version=seen)
    assert not Event.objects.filter(kind=Event.Kind.NOTE).exists()


def test_the_first_reaching_contact_stops_the_first_contact_clock(make_case, payroll, janis):
    case = make_case(team=payroll)
    workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="no_answer")
    assert case.first_contacted_at is None
    reached = timezone.now()
    workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="reached", contacted_at=reached)
    workflow.log_contact(case=case, actor=janis, channel="email", direction="inbound", outcome="replied")
    case.refresh_from_db()
    assert case.first_contacted_at == reached
    assert case.events.filter(kind=Event.Kind.CONTACT).count() == 3


def test_staff_claim_but_only_managers_assign_others(make_case, payroll, janis, maija, anna):
    case = make_case(team=payroll)
    with pytest.raises(workflow.WorkflowError, match="Only a manager"):
        workflow.assign_case(case=case, assignee=maija, actor=janis)
    workflow.claim_case(case=case, actor=janis)
    assert case.assignee == janis
    with pytest.raises(workflow.WorkflowError, match="already yours"):
        workflow.claim_case(case=case, actor=janis)
    with pytest.raises(workflow.WorkflowError, match="Only members"):
        workflow.claim_case(case=case, actor=anna)
    with pytest.raises(workflow.WorkflowError, match="not a member"):
        workflow.assign_case(case=case, assignee=anna, actor=maija)
    workflow.assign_case(case=case, assignee=None, actor=maija)
    assert list(case.events.filter(kind="assigned").values_list("data__to", flat=True)) == [janis.pk, None]


def test_sharing_lets_one_colleague_see_one_case(make_case, payroll, janis, anna):
    from casework.cases.access import visible_cases

    case, other = make_case(team=payroll), make_case(team=payroll)
    workflow.share_case(case=case, actor=janis, colleague=anna)
    assert list(visible_cases(anna)) == [case]
    with pytest.raises(workflow.WorkflowError, match="already see"):
        workflow.share_case(case=case, actor=janis, colleague=anna)
    with pytest.raises(workflow.WorkflowError, match="Only members"):
        workflow.share_case(case=other, actor=anna, colleague=janis)


def test_tags_and_action_summary(make_case, payroll, janis):
    case = make_case(team=payroll)
    workflow.record_action(case=case, actor=janis, action_summary="Fixed the export", tags=["export", "bank"])
    workflow.add_tag(case=case, actor=janis, name="sepa")
    assert sorted(case.tags.values_list("name", flat=True)) == ["bank", "export", "sepa"]
    assert Case.objects.get(pk=case.pk).action_summary == "Fixed the export"
