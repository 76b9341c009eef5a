"""The database refuses cases, contacts and events that break the lifecycle's invariants."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.cases.models import Case, Contact, Event

pytestmark = pytest.mark.django_db


def refused(**changes):
    """Applies `changes` to the case row directly (as a bug or a careless script might) and
    reports whether the database refused."""
    try:
        with transaction.atomic():
            Case.objects.filter(pk=changes.pop("pk")).update(**changes)
    except IntegrityError:
        return True
    return False


def test_case_numbers_are_unique_and_increasing(payroll, make_case):
    first, second = make_case(team=payroll), make_case(team=payroll)
    assert second.number == first.number + 1
    assert first.reference == f"CW-{first.number}"
    assert refused(pk=second.pk, number=first.number)


def test_a_closed_case_has_its_closed_time(payroll, make_case):
    case = make_case(team=payroll)
    assert refused(pk=case.pk, status="closed", closed_at=None)
    assert not refused(pk=case.pk, status="closed", closed_at=timezone.now(), close_reason="no_action")


@pytest.mark.parametrize("field,value", [("status", "lost"), ("priority", 9), ("close_reason", "bored")])
def test_values_outside_their_choices_are_refused(payroll, make_case, field, value):
    case = make_case(team=payroll)
    assert refused(pk=case.pk, **{field: value})


def test_one_open_case_per_respondent_and_product(payroll, make_case, make_response):
    case = make_case(team=payroll)
    second_response = make_response(respondent=case.respondent, product=case.product)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            number=999_999, team=payroll, respondent=case.respondent, response=second_response,
            product=case.product, created_at=timezone.now(),
        )


def test_a_closed_case_does_not_block_a_new_one(payroll, make_case, make_response):
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now(), close_reason="no_action")
    later = make_response(respondent=case.respondent, product=case.product)
    Case.objects.create(
        number=999_999, team=payroll, respondent=case.respondent, response=later,
        product=case.product, created_at=timezone.now(),
    )
    assert Case.objects.filter(respondent=case.respondent).count() == 2


@pytest.mark.parametrize("field,value", [("channel", "pigeon"), ("direction", "sideways"), ("outcome", "maybe")])
def test_contacts_outside_their_choices_are_refused(payroll, make_case, janis, field, value):
    case = make_case(team=payroll)
    values = {"channel": "phone", "direction": "outbound", "outcome": "reached", field: value}
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(case=case, contacted_at=timezone.now(), created_by=janis, **values)


def test_unknown_event_kind_is_refused(payroll, make_case):
    case = make_case(team=payroll)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(case=case, kind="gossip", created_at=timezone.now())
