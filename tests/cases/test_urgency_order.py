"""'Most urgent first' (issue 11): open before resolved before closed; then overdue, the longest overdue
first; then priority; then the nearest due time. The same order on every list and on every page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.cases import views
from casework.cases.lifecycle import Priority, Status
from casework.cases.listing import MostUrgentFirst
from casework.cases.models import Case

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def every_state(janis, payroll, make_case):
    """Cases of janis in every state, named for where they must stand, listed in the expected order."""
    now = timezone.now()

    def case(status, priority, first_contact_due, *, contacted=False, resolution_due=None):
        made = make_case(team=payroll)
        fields = dict(
            status=status, priority=priority, assignee=janis, first_contact_due_at=first_contact_due,
            resolution_due_at=resolution_due, first_contacted_at=now - 2 * HOUR if contacted else None,
        )
        if status == Status.CLOSED:
            fields.update(closed_at=now, close_reason=Case.CloseReason.NO_ACTION)
        Case.objects.filter(pk=made.pk).update(**fields)
        return made

    expected = [
        ("overdue 2 days, low", case(Status.NEW, Priority.LOW, now - 48 * HOUR)),
        ("overdue 1 day by resolution, normal", case(Status.IN_PROGRESS, Priority.NORMAL, None, contacted=True, resolution_due=now - 24 * HOUR)),
        ("overdue 1 hour, urgent", case(Status.WAITING, Priority.URGENT, now - HOUR)),
        ("due in 3 days, urgent", case(Status.NEW, Priority.URGENT, now + 72 * HOUR)),
        ("due in 1 hour, high", case(Status.IN_PROGRESS, Priority.HIGH, now + HOUR)),
        ("due in 2 hours, high", case(Status.NEW, Priority.HIGH, now + 2 * HOUR)),
        ("no due time, high", case(Status.IN_PROGRESS, Priority.HIGH, None, contacted=True)),
        ("due in 1 hour, normal", case(Status.NEW, Priority.NORMAL, now + HOUR)),
        ("resolved, never reached, overdue", case(Status.RESOLVED, Priority.LOW, now - 5 * HOUR)),
        ("resolved, urgent", case(Status.RESOLVED, Priority.URGENT, None, contacted=True)),
        ("resolved, normal", case(Status.RESOLVED, Priority.NORMAL, now - 100 * HOUR, contacted=True)),
        ("closed, urgent", case(Status.CLOSED, Priority.URGENT, now - 200 * HOUR)),
        ("closed, low", case(Status.CLOSED, Priority.LOW, now - 300 * HOUR)),
    ]
    return expected


def order_on_page(text, cases):
    return sorted(cases, key=lambda named: text.index(f">{named[1].reference}<"))


def test_all_cases_are_most_urgent_first(client, janis, every_state):
    client.force_login(janis)
    text = client.get(reverse("cases:list")).text
    assert [name for name, _case in order_on_page(text, every_state)] == [name for name, _case in every_state]


def test_my_cases_put_a_resolved_case_below_an_overdue_one_and_leave_closed_out(client, janis, every_state):
    client.force_login(janis)
    text = client.get(reverse("cases:mine")).text
    shown = [(name, case) for name, case in every_state if f">{case.reference}<" in text]
    assert [name for name, _case in order_on_page(text, shown)] == [name for name, _case in every_state if not name.startswith("closed")]


def test_the_order_holds_across_pages(client, janis, every_state, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    client.force_login(janis)
    seen = []
    for page in (1, 2, 3, 4):
        text = client.get(reverse("cases:list"), {"page": page}).text
        seen += [name for name, _case in order_on_page(text, [(n, c) for n, c in every_state if f">{c.reference}<" in text])]
    assert seen == [name for name, _case in every_state]


def test_one_order_by_and_the_index_sized_parts_agree(every_state):
    whole = list(Case.objects.most_urgent_first().values_list("pk", flat=True))
    assert whole == [case.pk for _name, case in every_state]
    parts = MostUrgentFirst(Case.objects.all())
    assert [case.pk for case in parts[0:100]] == whole
    assert [case.pk for case in parts[5:9]] == whole[5:9]
    assert parts.count() == len(whole)


def test_filters_keep_the_order(client, janis, every_state):
    client.force_login(janis)
    text = client.get(reverse("cases:list"), {"status": "open"}).text  # "open": not closed
    not_closed = [(n, c) for n, c in every_state if not n.startswith("closed")]
    assert [n for n, _c in order_on_page(text, not_closed)] == [n for n, _c in not_closed]
    assert all(f">{c.reference}<" not in text for n, c in every_state if n.startswith("closed"))
