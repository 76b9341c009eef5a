"""Figures, computed in the database (DESIGN.md, "Figures")."""

from django.db.models import Count, Q

from casework.feedback.metrics import Metric
from casework.feedback.models import Response

# Scores that count as good and bad per metric; NPS subtracts the bad share, the others count the good.
_GOOD = {Metric.NPS: (9, 10), Metric.CSAT: (4, 5), Metric.CES: (5, 7)}
_BAD = {Metric.NPS: (0, 6)}


def metric_scores(responses=None) -> list[dict]:
    """One row per metric: number of answers and its headline score (NPS −100…100, CSAT and CES %)."""
    responses = Response.objects.all() if responses is None else responses
    aggregates = {}
    for metric in Metric:
        good_low, good_high = _GOOD[metric]
        aggregates[f"{metric}_total"] = Count("pk", filter=Q(metric=metric))
        aggregates[f"{metric}_good"] = Count("pk", filter=Q(metric=metric, score__gte=good_low, score__lte=good_high))
        if metric in _BAD:
            bad_low, bad_high = _BAD[metric]
            aggregates[f"{metric}_bad"] = Count("pk", filter=Q(metric=metric, score__gte=bad_low, score__lte=bad_high))
    counts = responses.aggregate(**aggregates)
    rows = []
    for metric in Metric:
        total = counts[f"{metric}_total"]
        score = None
        if total:
            score = 100 * counts[f"{metric}_good"] / total
            if metric in _BAD:
                score -= 100 * counts[f"{metric}_bad"] / total
        rows.append({"metric": metric, "label": metric.label, "total": total, "score": score})
    return rows
