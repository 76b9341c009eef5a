import pytest

from casework.feedback.models import Response
from casework.intake.models import Route, Rule
from casework.intake.rules import first_matching_rule, rule_matches, team_for


def response(**fields):
    values = {"metric": "nps", "score": 8, "comment": "", "product": "Payroll"}
    values.update(fields)
    return Response(**values)


@pytest.mark.parametrize(
    ("comment", "matches"),
    [
        ("I will CANCEL tomorrow", True),
        ("Gribu ATMAKSA par šo mēnesi", True),
        ("Gribu atcelt līgumu", True),
        ("cancellation policy is fine", False),
        ("atceltajam rēķinam", False),
        ("", False),
    ],
)
def test_keywords_match_whole_words_in_any_case_and_language(comment, matches):
    rule = Rule(name="Alarm", keywords="cancel, refund, atcelt, atmaksa")
    assert rule_matches(rule, response(comment=comment)) is matches


def test_the_first_matching_rule_wins():
    detractors = Rule(name="Detractors", metric="nps", score_min=0, score_max=6)
    anything = Rule(name="Anything")
    assert first_matching_rule(response(score=3), [detractors, anything]) is detractors
    assert first_matching_rule(response(score=9), [detractors, anything]) is anything
    assert first_matching_rule(response(score=9), [detractors]) is None


def test_product_country_and_comment_conditions():
    rule = Rule(name="LV payroll with comment", product="payroll", country="LV", has_comment="yes")
    assert rule_matches(rule, response(comment="slow"), country="LV")
    assert not rule_matches(rule, response(comment="slow"), country="EE")
    assert not rule_matches(rule, response(comment="  "), country="LV")
    assert not rule_matches(rule, response(comment="slow", product="Accounting"), country="LV")


@pytest.mark.django_db
def test_routing_prefers_the_country_route(payroll, accounting):
    routes = [Route(product="Payroll", team=payroll), Route(product="Payroll", country="EE", team=accounting)]
    rule = Rule(name="Any")
    assert team_for(rule, response(), country="EE", routes=routes) == accounting
    assert team_for(rule, response(), country="LV", routes=routes) == payroll
    assert team_for(rule, response(product="Unknown"), country="LV", routes=routes) is None
