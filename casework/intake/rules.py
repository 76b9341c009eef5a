"""Matching a new response against the trigger rules (DESIGN.md, "Rule")."""

import re
from collections.abc import Iterable
from functools import lru_cache

from casework.feedback.models import Response, has_comment
from casework.teams.models import Team

from .models import Route, Rule


@lru_cache(maxsize=256)
def keyword_pattern(keywords: str) -> re.Pattern | None:
    """Whole words, any case, any script: `\\b` and casefolding in Python's `re` are Unicode-aware,
    so "ATMAKSA" matches "atmaksa" and "atcelt" does not match inside "atceltajam"."""
    words = [word.strip() for word in keywords.split(",") if word.strip()]
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\b", re.IGNORECASE)


def rule_matches(rule: Rule, response: Response, *, country: str = "") -> bool:
    if rule.metric and rule.metric != response.metric:
        return False
    if rule.score_min is not None and response.score < rule.score_min:
        return False
    if rule.score_max is not None and response.score > rule.score_max:
        return False
    if rule.product and rule.product.casefold() != response.product.casefold():
        return False
    if rule.country and rule.country != country:
        return False
    commented = has_comment(response.comment)
    if rule.has_comment == Rule.HasComment.YES and not commented:
        return False
    if rule.has_comment == Rule.HasComment.NO and commented:
        return False
    if rule.keywords:
        pattern = keyword_pattern(rule.keywords)
        if pattern is not None and not pattern.search(response.comment):
            return False
    return True


def first_matching_rule(response: Response, rules: Iterable[Rule], *, country: str = "") -> Rule | None:
    """`rules` in evaluation order; callers load them once per batch."""
    return next((rule for rule in rules if rule_matches(rule, response, country=country)), None)


def active_rules() -> list[Rule]:
    return list(Rule.objects.filter(is_active=True).select_related("team").order_by("position", "pk"))


def team_for(rule: Rule, response: Response, *, country: str = "", routes: Iterable[Route] | None = None) -> Team | None:
    """The rule's team, else the most specific route for the product (country first)."""
    if rule.team_id:
        return rule.team
    routes = list(Route.objects.select_related("team")) if routes is None else routes
    product = response.product.casefold()
    candidates = [route for route in routes if route.product.casefold() == product and route.country in ("", country)]
    candidates.sort(key=lambda route: route.country == "", reverse=False)
    return candidates[0].team if candidates else None
