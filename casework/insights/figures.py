"""Figures, computed in the database (DESIGN.md, "Figures"). The one module the dashboard, its CSV
exports and the weekly e-mail all read, so a number means the same wherever it is shown.

Every figure is a `Table` whose rows carry the link to the cases or answers behind each number; the
screen draws cards and charts from the same rows that the CSV export writes out."""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from casework.feedback.metrics import TONE, Band, Metric, Tone, band_for, tone_q
from casework.feedback.models import Response

from .periods import Period, local_zone, week_start
from .scope import Scope

# Scores that count as good and bad per metric; NPS subtracts the bad share, the others count the good.
_GOOD = {Metric.NPS: (9, 10), Metric.CSAT: (4, 5), Metric.CES: (5, 7)}
_BAD = {Metric.NPS: (0, 6)}
BANDS = {
    Metric.NPS: (Band.DETRACTOR, Band.PASSIVE, Band.PROMOTER),
    Metric.CSAT: (Band.NEGATIVE, Band.NEUTRAL, Band.POSITIVE),
    Metric.CES: (Band.NEGATIVE, Band.NEUTRAL, Band.POSITIVE),
}
TOP = 10


@dataclass(frozen=True)
class Selection:
    period: Period
    team: object = None
    product: str = ""
    metric: str = ""
    channel: str = ""
    country: str = ""

    @classmethod
    def from_cleaned(cls, data: dict) -> "Selection":
        return cls(
            period=data["span"],
            team=data.get("team"),
            product=data.get("product", ""),
            metric=data.get("metric", ""),
            channel=data.get("channel", ""),
            country=data.get("country", ""),
        )

    def query(self, period: Period | None = None) -> dict[str, str]:
        """The dashboard URL's parameters for this selection (optionally another period)."""
        period = period or self.period
        params = {"period": "custom", "start": period.first_day.isoformat(), "end": period.last_day.isoformat()}
        if self.team is not None:
            params["team"] = str(self.team.pk)
        for name in ("product", "metric", "channel", "country"):
            if getattr(self, name):
                params[name] = getattr(self, name)
        return params


@dataclass
class Column:
    key: str
    label: str
    numeric: bool = True


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    empty: str = ""

    def cells(self):
        """Rows as lists of (value, link, numeric) in column order, for the screen."""
        return [[(row.get(c.key), row.get(f"{c.key}_link", ""), c.numeric) for c in self.columns] for row in self.rows]

    def row(self, key: str) -> dict:
        return next((row for row in self.rows if row.get("key") == key), {})


class Links:
    """Where each number leads: the case list or the answer list, with the dashboard's filters."""

    def __init__(self, scope: Scope, selection: Selection):
        self.scope, self.selection = scope, selection

    def cases(self, **params) -> str:
        return reverse("cases:list") + "?" + urlencode(self.case_params(**params))

    def case_params(self, **params) -> dict:
        sel = self.selection
        base = {**self.scope.case_link_params()}
        if sel.team is not None:
            base["team"] = sel.team.pk
        for name in ("product", "metric", "channel", "country"):
            if getattr(sel, name):
                base[name] = getattr(sel, name)
        return {**base, **{k: v for k, v in params.items() if v is not None}}

    def opened_in(self, period: Period, **params) -> str:
        return self.cases(created_after=period.first_day, created_before=period.last_day, **params)

    def responses(self, period: Period | None = None, **params) -> str:
        if not self.scope.sees_answers:
            return ""
        return reverse("insights:responses") + "?" + urlencode({**self.selection.query(period), **params})


def cases_for(scope: Scope, selection: Selection) -> QuerySet:
    cases = scope.cases
    if selection.team is not None:
        cases = cases.filter(team=selection.team)
    if selection.product:
        cases = cases.filter(product__iexact=selection.product)
    if selection.metric:
        cases = cases.filter(metric=selection.metric)
    if selection.channel:
        cases = cases.filter(response__channel=selection.channel)
    if selection.country:
        cases = cases.filter(respondent__country=selection.country)
    return cases


def responses_for(scope: Scope, selection: Selection, period: Period | None = None) -> QuerySet[Response]:
    """The answers of the selection in its period (or `period`), as the user may see them."""
    period = period or selection.period
    team_ids = (selection.team.pk,) if selection.team is not None else None
    responses = scope.responses(team_ids).filter(period.q("answered_at"))
    if selection.product:
        responses = responses.filter(product=selection.product)
    if selection.metric:
        responses = responses.filter(metric=selection.metric)
    if selection.channel:
        responses = responses.filter(channel=selection.channel)
    if selection.country:
        responses = responses.filter(respondent__country=selection.country)
    return responses


def score_counts(responses: QuerySet[Response]) -> dict[str, dict[int, int]]:
    """{metric: {score: answers}} in one GROUP BY; every score figure is derived from it."""
    counts: dict[str, dict[int, int]] = {metric: {} for metric in Metric}
    for metric, score, number in responses.values_list("metric", "score").annotate(n=Count("pk")).order_by():
        counts[metric][score] = number
    return counts


def headline(metric: str, counts: dict[int, int]) -> tuple[int, float | None]:
    """(answers, score): NPS −100…100, CSAT and CES as % of good answers; None without answers."""
    total = sum(counts.values())
    if not total:
        return 0, None
    good_low, good_high = _GOOD[metric]
    score = 100 * sum(n for s, n in counts.items() if good_low <= s <= good_high) / total
    if metric in _BAD:
        bad_low, bad_high = _BAD[metric]
        score -= 100 * sum(n for s, n in counts.items() if bad_low <= s <= bad_high) / total
    return total, round(score, 1)


def metric_scores(responses=None) -> list[dict]:
    """One row per metric: number of answers and its headline score."""
    counts = score_counts(Response.objects.all() if responses is None else responses)
    rows = []
    for metric in Metric:
        total, score = headline(metric, counts[metric])
        rows.append({"metric": metric, "label": metric.label, "total": total, "score": score})
    return rows


def scores_table(scope: Scope, selection: Selection, links: Links) -> tuple[Table, Table]:
    """Headline scores with the previous period's for comparison, and the band distribution."""
    now_counts = score_counts(responses_for(scope, selection))
    before = score_counts(responses_for(scope, selection, selection.period.previous()))
    scores = Table(
        "scores",
        _("Scores"),
        [
            Column("label", _("Metric"), numeric=False),
            Column("answers", _("Answers")),
            Column("score", _("Score")),
            Column("previous", _("Previous period")),
            Column("change", _("Difference")),
        ],
        empty=_("No answers in this period."),
    )
    bands = Table(
        "bands",
        _("Answers by band"),
        [
            Column("metric", _("Metric"), numeric=False),
            Column("band", _("Band"), numeric=False),
            Column("answers", _("Answers")),
            Column("share", _("Share %")),
        ],
        empty=_("No answers in this period."),
    )
    for metric in Metric:
        total, score = headline(metric, now_counts[metric])
        previous_total, previous = headline(metric, before[metric])
        if not total and not previous_total:
            continue
        scores.rows.append(
            {
                "key": metric.value,
                "label": metric.label,
                "answers": total,
                "answers_link": links.responses(metric=metric.value),
                "score": score,
                "previous": previous,
                "previous_link": links.responses(selection.period.previous(), metric=metric.value) if previous_total else "",
                "change": round(score - previous, 1) if score is not None and previous is not None else None,
            }
        )
        for band in BANDS[metric]:
            number = sum(n for s, n in now_counts[metric].items() if band_for(metric, s) == band)
            bands.rows.append(
                {
                    "key": f"{metric.value}-{band.value}",
                    "metric": metric.label,
                    "band": band.label,
                    "tone": TONE[band],
                    "answers": number,
                    "answers_link": links.responses(metric=metric.value, band=band.value),
                    "share": round(100 * number / total, 1) if total else None,
                }
            )
    if not any(row["answers"] for row in scores.rows):
        bands.rows = []
    return scores, bands


def weekly_trend(scope: Scope, selection: Selection, links: Links) -> Table:
    """Each metric's score per week (weeks start on Monday, local time) within the period."""
    responses = responses_for(scope, selection).annotate(week=TruncWeek("answered_at", tzinfo=local_zone()))
    counts: dict[tuple[datetime.date, str], dict[int, int]] = {}
    for week, metric, score, number in responses.values_list("week", "metric", "score").annotate(n=Count("pk")).order_by():
        day = week.astimezone(local_zone()).date() if isinstance(week, datetime.datetime) else week
        counts.setdefault((week_start(day), metric), {})[score] = number
    table = Table(
        "trend",
        _("Weekly trend"),
        [
            Column("week", _("Week from"), numeric=False),
            Column("label", _("Metric"), numeric=False),
            Column("answers", _("Answers")),
            Column("score", _("Score")),
        ],
        empty=_("No answers in this period."),
    )
    period = selection.period
    for (week, metric), metric_counts in sorted(counts.items()):
        total, score = headline(metric, metric_counts)
        days = Period(max(week, period.first_day), min(week + datetime.timedelta(days=6), period.last_day))
        table.rows.append(
            {
                "week": week,
                "metric": metric,
                "label": Metric(metric).label,
                "answers": total,
                "answers_link": links.responses(days, metric=metric),
                "score": score,
            }
        )
    return table


def percentiles(queryset: QuerySet, expression, output_field, points=(50, 90)) -> tuple[int, dict[int, object]]:
    """Nearest-rank percentiles of `expression` over `queryset`, read off the database's own sort:
    one COUNT and one single-row query per point, the same on SQLite and PostgreSQL."""
    values = queryset.annotate(_value=ExpressionWrapper(expression, output_field=output_field)).filter(_value__isnull=False)
    total = values.count()
    result = {}
    for point in points:
        if not total:
            result[point] = None
            continue
        rank = max(math.ceil(point * total / 100) - 1, 0)
        result[point] = values.order_by("_value").values_list("_value", flat=True)[rank]
    return total, result


def detractor_causes(scope: Scope, selection: Selection, links: Links, *, by: str) -> Table:
    """Top root-cause tags (by="tag") or products (by="product") among unhappy answers' cases opened
    in the period: count, share of those cases, and the previous period's count."""
    period, previous = selection.period, selection.period.previous()
    unhappy = cases_for(scope, selection).filter(tone_q(Tone.BAD))
    now_cases, before_cases = unhappy.filter(period.q("created_at")), unhappy.filter(previous.q("created_at"))
    total = now_cases.count()
    key, label = ("tags__pk", "tags__name") if by == "tag" else ("product", "product")
    top = list(
        now_cases.exclude(**{f"{key}__isnull": True}).values_list(key, label).annotate(n=Count("pk", distinct=True))
        .order_by("-n", label)[:TOP]
    )
    before = dict(
        before_cases.filter(**{f"{key}__in": [k for k, _label, _n in top]}).values_list(key).annotate(n=Count("pk", distinct=True)).order_by()
    )
    table = Table(
        f"{by}s",
        _("Root causes among unhappy answers") if by == "tag" else _("Products among unhappy answers"),
        [
            Column("name", _("Root-cause tag") if by == "tag" else _("Product"), numeric=False),
            Column("cases", _("Cases")),
            Column("share", _("Share %")),
            Column("previous", _("Previous period")),
            Column("change", _("Difference")),
        ],
        empty=_("No unhappy answers with a case in this period."),
    )
    for value, name, number in top:
        filters = {"tag": value} if by == "tag" else {"product": value}
        table.rows.append(
            {
                "key": str(value),
                "name": name or _("(no product)"),
                "cases": number,
                "cases_link": links.opened_in(period, tone=Tone.BAD.value, **filters),
                "share": round(100 * number / total, 1) if total else None,
                "previous": before.get(value, 0),
                "previous_link": links.opened_in(previous, tone=Tone.BAD.value, **filters),
                "change": number - before.get(value, 0),
            }
        )
    return table

