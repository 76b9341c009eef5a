import pytest
from django.db import IntegrityError, transaction

from casework.intake.models import Route, Rule

pytestmark = pytest.mark.django_db


def test_a_rule_score_range_runs_upwards():
    with pytest.raises(IntegrityError), transaction.atomic():
        Rule.objects.create(name="Backwards", score_min=6, score_max=0)


def test_one_route_per_product_and_country(payroll, accounting):
    Route.objects.create(product="Payroll", team=payroll)
    with pytest.raises(IntegrityError), transaction.atomic():
        Route.objects.create(product="Payroll", team=accounting)
    Route.objects.create(product="Payroll", country="EE", team=accounting)
