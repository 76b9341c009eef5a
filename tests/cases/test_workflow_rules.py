"""The workflow's finer rules, each a bug a user would notice: which closing e-mail counts, every action
refusing a stale version, the first-contact clock, and what the timeline records."""

import datetime

import pytest
from django.utils import timezone

from casework.cases import workflow
from casework.cases.lifecycle import Priority, Status
from casework.cases.models import Case, Contact, Event
from casework.outreach.models import Notification

pytestmark = pytest.mark.django_db


def case_in(status, make_case, team):
    case = make_case(team=team)
    fields = {"status": status}
    if status == Status.CLOSED:
        fields.update(closed_at=timezone.now(), close_reason="no_action")
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def notify(case, status, *, when=None):
    when = when or timezone.now()
    extra = {"sent": {"sent_at": when}, "suppressed": {"suppressed_reason": "The respondent objected to contact."}}.get(status, {})
    return Notification.objects.create(case=case, subject="We fixed it", body="…", status=status, queued_at=when, **extra)


def reopen(case, actor, *, when):
    workflow.change_status(case=case, to=Status.IN_PROGRESS, actor=actor, when=when)
    workflow.change_status(case=case, to=Status.RESOLVED, actor=actor, when=when)


# Which closing e-mail lets a case close as "told what we did".


@pytest.mark.parametrize("status, counts", [("queued", True), ("sent", True), ("failed", False), ("suppressed", False)])
def test_only_a_queued_or_sent_closing_email_lets_a_case_close_as_notified(make_case, payroll, maija, status, counts):
    case = case_in(Status.RESOLVED, make_case, payroll)
    notify(case, status)
    if counts:
        workflow.change_status(case=case, to=Status.CLOSED, actor=maija)
        assert Case.objects.get(pk=case.pk).close_reason == "notified"
    else:
        with pytest.raises(workflow.WorkflowError, match="Send the closing e-mail first"):
            workflow.change_status(case=case, to=Status.CLOSED, actor=maija, reason="notified")
        assert Case.objects.get(pk=case.pk).status == Status.RESOLVED


def test_after_reopening_only_an_email_about_the_latest_round_counts(make_case, payroll, maija):
    case = case_in(Status.CLOSED, make_case, payroll)
    start = timezone.now() - datetime.timedelta(days=3)
    reopen(case, maija, when=start)
    notify(case, "sent", when=start + datetime.timedelta(days=1))  # about the second round
    workflow.change_status(case=case, to=Status.CLOSED, actor=maija, when=start + datetime.timedelta(days=1, hours=1))
    reopen(case, maija, when=start + datetime.timedelta(days=2))  # the third round: that e-mail told of older work
    with pytest.raises(workflow.WorkflowError, match="Send the closing e-mail first"):
        workflow.change_status(case=case, to=Status.CLOSED, actor=maija)
    notify(case, "queued")
    workflow.change_status(case=case, to=Status.CLOSED, actor=maija)
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED


def test_another_cases_reopening_does_not_void_this_cases_email(make_case, payroll, maija):
    case = case_in(Status.RESOLVED, make_case, payroll)
    notify(case, "sent", when=timezone.now() - datetime.timedelta(hours=2))
    other = case_in(Status.CLOSED, make_case, payroll)
    reopen(other, maija, when=timezone.now() - datetime.timedelta(hours=1))
    workflow.change_status(case=case, to=Status.CLOSED, actor=maija)
    assert Case.objects.get(pk=case.pk).close_reason == "notified"


def test_the_close_reason_is_in_the_timeline(make_case, payroll, maija):
    case = case_in(Status.RESOLVED, make_case, payroll)
    workflow.change_status(case=case, to=Status.CLOSED, actor=maija, reason="unreachable")
    event = Event.objects.get(case=case, kind=Event.Kind.STATUS)
    assert event.data == {"from": "resolved", "to": "closed", "reason": "unreachable"}
    assert event.actor == maija


def test_reopening_clears_the_earlier_end(make_case, payroll, maija):
    case = case_in(Status.RESOLVED, make_case, payroll)
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now())
    case.refresh_from_db()
    workflow.change_status(case=case, to=Status.IN_PROGRESS, actor=maija)
    case.refresh_from_db()
    assert case.resolved_at is None and case.closed_at is None and case.close_reason == ""


def test_resolving_records_when(make_case, payroll, maija):
    case = case_in(Status.IN_PROGRESS, make_case, payroll)
    when = timezone.now() - datetime.timedelta(hours=3)
    workflow.change_status(case=case, to=Status.RESOLVED, actor=maija, when=when)
    case.refresh_from_db()
    assert case.resolved_at == when and case.closed_at is None
    assert Event.objects.get(case=case, kind=Event.Kind.STATUS).created_at == when


# Every action refuses a stale version, and changes nothing.


def _stale(case):
    """Someone else changed the case after it was loaded."""
    seen = case.version
    Case.objects.filter(pk=case.pk).update(version=seen + 1)
    return seen


ACTIONS = {
    "status": lambda case, people, version: workflow.change_status(case=case, to=Status.IN_PROGRESS, actor=people["maija"], expected_version=version),
    "assign": lambda case, people, version: workflow.assign_case(case=case, assignee=people["janis"], actor=people["maija"], expected_version=version),
    "claim": lambda case, people, version: workflow.claim_case(case=case, actor=people["janis"], expected_version=version),
    "contact": lambda case, people, version: workflow.log_contact(
        case=case, actor=people["janis"], channel="phone", direction="outbound", outcome="reached", expected_version=version
    ),
    "note": lambda case, people, version: workflow.add_note(case=case, actor=people["janis"], text="Called", expected_version=version),
    "action": lambda case, people, version: workflow.record_action(
        case=case, actor=people["janis"], action_summary="Fixed", tags=["export"], expected_version=version
    ),
    "tag": lambda case, people, version: workflow.add_tag(case=case, actor=people["janis"], name="export", expected_version=version),
    "share": lambda case, people, version: workflow.share_case(case=case, actor=people["janis"], colleague=people["anna"], expected_version=version),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_refuses_a_stale_version_and_changes_nothing(make_case, payroll, janis, maija, anna, action):
    people = {"janis": janis, "maija": maija, "anna": anna}
    case = make_case(team=payroll)
    events, contacts = Event.objects.count(), Contact.objects.count()
    seen = _stale(case)
    with pytest.raises(workflow.CaseChanged):
        ACTIONS[action](case, people, seen)
    assert Event.objects.count() == events and Contact.objects.count() == contacts
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.assignee, fresh.action_summary, list(fresh.tags.all())) == (Status.NEW, None, "", [])
    assert not anna.has_perm("cases.work_case", fresh)
    # With the version as it is now, the same action goes through.
    ACTIONS[action](fresh, people, fresh.version)
    assert Event.objects.count() > events


# The first-contact clock (DESIGN.md): the first outbound contact that reached the person stops it.


@pytest.mark.parametrize(
    "direction, outcome, stops",
    [
        ("outbound", "reached", True),
        ("outbound", "replied", True),
        ("outbound", "no_answer", False),
        ("outbound", "left_message", False),
        ("outbound", "bounced", False),
        ("inbound", "reached", False),
        ("inbound", "replied", False),
    ],
)
def test_which_contacts_stop_the_first_contact_clock(make_case, payroll, janis, direction, outcome, stops):
    case = make_case(team=payroll)
    when = timezone.now() - datetime.timedelta(minutes=30)
    workflow.log_contact(case=case, actor=janis, channel="phone", direction=direction, outcome=outcome, contacted_at=when)
    case.refresh_from_db()
    assert case.first_contacted_at == (when if stops else None)
    assert case.status == (Status.IN_PROGRESS if stops else Status.NEW)


def test_an_earlier_contact_logged_later_moves_the_clock_back_and_a_later_one_does_not(make_case, payroll, janis):
    case = make_case(team=payroll)
    now = timezone.now()
    first, earlier, later = now - datetime.timedelta(hours=2), now - datetime.timedelta(hours=5), now - datetime.timedelta(hours=1)
    log = lambda when: workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="reached", contacted_at=when)  # noqa: E731
    log(first)
    log(later)
    assert Case.objects.get(pk=case.pk).first_contacted_at == first
    log(earlier)
    assert Case.objects.get(pk=case.pk).first_contacted_at == earlier
    log(earlier)  # the same moment again changes nothing
    assert Case.objects.get(pk=case.pk).first_contacted_at == earlier


def test_a_backdated_contact_keeps_its_date_in_the_record_and_the_timeline(make_case, payroll, janis):
    case = make_case(team=payroll)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    contact = workflow.log_contact(
        case=case, actor=janis, channel="meeting", direction="outbound", outcome="no_answer", summary="At the fair", contacted_at=yesterday
    )
    contact.refresh_from_db()
    assert contact.contacted_at == yesterday and contact.created_by == janis and contact.summary == "At the fair"
    event = Event.objects.get(case=case, kind=Event.Kind.CONTACT)
    assert event.created_at == yesterday and event.data == {"contact": contact.pk} and event.actor == janis


def test_a_claim_starts_the_work_and_records_who(make_case, payroll, janis):
    case = make_case(team=payroll)
    workflow.claim_case(case=case, actor=janis)
    case.refresh_from_db()
    assert case.assignee == janis and case.status == Status.IN_PROGRESS
    assigned = Event.objects.get(case=case, kind=Event.Kind.ASSIGNED)
    assert assigned.data == {"from": None, "to": janis.pk} and assigned.actor == janis
    assert Event.objects.get(case=case, kind=Event.Kind.STATUS).data["to"] == Status.IN_PROGRESS


@pytest.mark.parametrize("state, message", [("closed", "closed"), ("mine", "already yours"), ("outsider", "Only members")])
def test_a_refused_claim_says_why(make_case, payroll, janis, anna, state, message):
    case = make_case(team=payroll)
    actor = anna if state == "outsider" else janis
    if state == "closed":
        case = case_in(Status.CLOSED, make_case, payroll)
    elif state == "mine":
        workflow.claim_case(case=case, actor=janis)
    with pytest.raises(workflow.WorkflowError, match=message):
        workflow.claim_case(case=case, actor=actor)


def test_escalation_raises_the_priority_one_step_and_never_past_urgent(make_case, payroll):
    case = make_case(team=payroll)
    workflow.escalate_case(case=case, what="first_contact")
    case.refresh_from_db()
    assert case.priority == Priority.HIGH and case.escalated_at is not None
    assert Event.objects.get(case=case, kind=Event.Kind.ESCALATED).data == {"overdue": "first_contact", "from": 2, "to": 3}
    workflow.escalate_case(case=case, what="resolution")
    workflow.escalate_case(case=case, what="resolution")
    case.refresh_from_db()
    assert case.priority == Priority.URGENT


def test_the_timeline_names_who_shared_with_whom_and_the_tags(make_case, payroll, janis, anna):
    case = make_case(team=payroll)
    workflow.share_case(case=case, actor=janis, colleague=anna)
    assert Event.objects.get(case=case, kind=Event.Kind.SHARED).data == {"to": anna.pk}
    workflow.add_tag(case=case, actor=janis, name="  export  ")
    workflow.add_tag(case=case, actor=janis, name="bank")
    assert Event.objects.filter(case=case, kind=Event.Kind.TAGS).latest("pk").data == {"tags": ["bank", "export"]}
    workflow.record_action(case=case, actor=janis, action_summary=" Fixed it ", tags=["sepa", " "])
    action = Event.objects.get(case=case, kind=Event.Kind.ACTION)
    assert action.data == {"summary": "Fixed it", "tags": ["sepa"]} and action.actor == janis


def test_a_deactivated_colleague_cannot_be_shared_with(make_case, payroll, janis, anna):
    case = make_case(team=payroll)
    anna.is_active = False
    anna.save()
    with pytest.raises(workflow.WorkflowError, match="cannot sign in"):
        workflow.share_case(case=case, actor=janis, colleague=anna)


def test_privacy_closing_closes_only_open_cases_with_one_event_each(make_case, payroll):
    open_one, closed = make_case(team=payroll), case_in(Status.CLOSED, make_case, payroll)
    when = timezone.now() - datetime.timedelta(minutes=1)
    assert workflow.close_for_privacy(cases=Case.objects.all(), reason="retention", when=when) == 1
    open_one.refresh_from_db()
    assert (open_one.status, open_one.close_reason, open_one.closed_at) == (Status.CLOSED, "retention", when)
    assert open_one.version == 2
    assert list(Event.objects.filter(kind=Event.Kind.STATUS).values_list("case_id", "data")) == [
        (open_one.pk, {"from": "new", "to": "closed", "reason": "retention"})
    ]
    assert Case.objects.get(pk=closed.pk).close_reason == "no_action"
    assert workflow.close_for_privacy(cases=Case.objects.all(), reason="retention") == 0
