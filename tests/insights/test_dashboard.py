import pytest
from django.urls import reverse

from casework.insights.figures import metric_scores
from casework.intake.models import Route

pytestmark = pytest.mark.django_db


def test_nps_csat_and_ces_follow_the_design_definitions(make_response):
    for score in (10, 9, 8, 0):
        make_response(metric="nps", score=score)
    for score in (5, 4, 1):
        make_response(metric="csat", score=score)
    make_response(metric="ces", score=6)
    scores = {row["metric"]: row for row in metric_scores()}
    assert scores["nps"]["total"] == 4 and scores["nps"]["score"] == pytest.approx(25.0)  # 50 % promoters − 25 % detractors
    assert scores["csat"]["score"] == 66.7  # two of three, to one decimal
    assert scores["ces"]["score"] == pytest.approx(100.0)


def test_a_manager_sees_figures_of_their_teams_products_only(client, maija, payroll, accounting, make_response):
    Route.objects.create(product="Payroll", team=payroll)
    Route.objects.create(product="Accounting", team=accounting)
    make_response(metric="nps", score=10, product="Payroll")
    make_response(metric="nps", score=0, product="Accounting")
    client.force_login(maija)
    page = client.get(reverse("insights:dashboard")).text
    assert "1 answer" in page and ">100<" in page
