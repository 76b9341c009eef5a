import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.cases.models import Case, Event, Notice

pytestmark = pytest.mark.django_db


def overdue(case, **fields):
    past = timezone.now() - datetime.timedelta(hours=2)
    Case.objects.filter(pk=case.pk).update(**{"first_contact_due_at": past, **fields})


def test_overdue_cases_are_escalated_once_and_managers_told(payroll, make_case, maija, janis, capsys):
    late, on_time = make_case(team=payroll), make_case(team=payroll)
    overdue(late)
    call_command("escalate")
    assert "Escalated 1 case." in capsys.readouterr().out
    late.refresh_from_db()
    assert late.priority == 3 and late.escalated_at is not None
    assert late.events.filter(kind=Event.Kind.ESCALATED).count() == 1
    assert list(Notice.objects.values_list("user__username", "case", "kind")) == [("maija", late.pk, "overdue_first_contact")]
    call_command("escalate")
    late.refresh_from_db()
    assert late.priority == 3 and Notice.objects.count() == 1
    assert on_time.events.filter(kind=Event.Kind.ESCALATED).count() == 0


def test_resolution_overdue_and_reached_cases(payroll, make_case, maija):
    reached = make_case(team=payroll)
    overdue(reached, first_contacted_at=timezone.now())
    late_resolution = make_case(team=payroll)
    Case.objects.filter(pk=late_resolution.pk).update(
        first_contacted_at=timezone.now(), status="in_progress", resolution_due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    closed = make_case(team=payroll)
    overdue(closed, status="closed", closed_at=timezone.now(), close_reason="no_action")
    from casework.cases.escalation import escalate_overdue

    assert escalate_overdue() == 1
    assert Notice.objects.get().kind == "overdue_resolution"
    assert Notice.objects.get().case_id == late_resolution.pk


def test_urgent_stays_urgent(payroll, make_case):
    case = make_case(team=payroll)
    overdue(case, priority=4)
    call_command("escalate")
    case.refresh_from_db()
    assert case.priority == 4 and case.escalated_at
