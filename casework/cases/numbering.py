"""Case numbers: unique, increasing, and safe when several workers open cases at once."""

from django.db import transaction
from django.db.models import F

from .models import Counter

CASE_COUNTER = "case"


@transaction.atomic
def reserve_case_numbers(count: int = 1) -> range:
    """Reserve `count` consecutive numbers. The row lock makes concurrent callers queue up; the
    counter row itself is created by a data migration, so it always exists."""
    Counter.objects.select_for_update().filter(name=CASE_COUNTER).update(value=F("value") + count)
    last = Counter.objects.get(name=CASE_COUNTER).value
    return range(last - count + 1, last + 1)
