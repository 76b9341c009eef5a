"""Case numbers: unique, increasing, and safe when several workers open cases at once."""

from django.db import IntegrityError, transaction
from django.db.models import F, Max

from .models import Case, Counter

CASE_COUNTER = "case"
# Case numbers start at CW-1001: short, but never confused with a count or a score.
FIRST_NUMBER = 1001


@transaction.atomic
def reserve_case_numbers(count: int = 1) -> range:
    """Reserve `count` consecutive numbers. The UPDATE locks the counter row until the transaction
    ends, so concurrent callers queue up instead of drawing the same number."""
    if not _advance(count):
        _create_counter()
        _advance(count)
    last = Counter.objects.get(name=CASE_COUNTER).value
    return range(last - count + 1, last + 1)


def _advance(count: int) -> int:
    return Counter.objects.filter(name=CASE_COUNTER).update(value=F("value") + count)


def _create_counter() -> None:
    # The migration creates the row; this covers a database emptied since (a flush, a restore).
    highest = Case.objects.aggregate(highest=Max("number"))["highest"] or FIRST_NUMBER - 1
    try:
        with transaction.atomic():
            Counter.objects.create(name=CASE_COUNTER, value=highest)
    except IntegrityError:
        pass  # another worker created it first
