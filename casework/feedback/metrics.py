"""The three survey metrics, their score ranges and bands (DESIGN.md, "Response")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    NPS = "nps", _("NPS")
    CES = "ces", _("CES")
    CSAT = "csat", _("CSAT")


class Band(models.TextChoices):
    DETRACTOR = "detractor", _("Detractor")
    PASSIVE = "passive", _("Passive")
    PROMOTER = "promoter", _("Promoter")
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


SCORE_RANGES = {Metric.NPS: (0, 10), Metric.CES: (1, 7), Metric.CSAT: (1, 5)}

# (highest score of the bad band, highest score of the middle band) per metric.
_BAND_LIMITS = {Metric.NPS: (6, 8), Metric.CSAT: (2, 3), Metric.CES: (3, 4)}

# Whether a band is the bad, middle or good one; badges colour by this.
TONE = {
    Band.DETRACTOR: "bad",
    Band.NEGATIVE: "bad",
    Band.PASSIVE: "middle",
    Band.NEUTRAL: "middle",
    Band.PROMOTER: "good",
    Band.POSITIVE: "good",
}


def band_for(metric: str, score: int) -> Band:
    bad_up_to, middle_up_to = _BAND_LIMITS[metric]
    if metric == Metric.NPS:
        names = (Band.DETRACTOR, Band.PASSIVE, Band.PROMOTER)
    else:
        names = (Band.NEGATIVE, Band.NEUTRAL, Band.POSITIVE)
    if score <= bad_up_to:
        return names[0]
    if score <= middle_up_to:
        return names[1]
    return names[2]


def band_score_ranges(band: str) -> list[tuple[str, int, int]]:
    """(metric, lowest, highest score) of each metric that has `band`; bands are contiguous."""
    ranges = []
    for metric, (low, high) in SCORE_RANGES.items():
        scores = [score for score in range(low, high + 1) if band_for(metric, score) == band]
        if scores:
            ranges.append((metric, scores[0], scores[-1]))
    return ranges


class Tone(models.TextChoices):
    """Bad, middle or good, whatever the metric: "detractors" of CSAT and CES are their negative answers."""

    BAD = "bad", _("Unhappy (detractor or negative)")
    MIDDLE = "middle", _("Middle (passive or neutral)")
    GOOD = "good", _("Happy (promoter or positive)")


TONE_RANK = {Tone.BAD: 0, Tone.MIDDLE: 1, Tone.GOOD: 2}


def tone_score_ranges(tone: str) -> list[tuple[str, int, int]]:
    """(metric, lowest, highest score) of the band of each metric that has `tone`."""
    return [
        score_range for band, band_tone in TONE.items() if band_tone == tone for score_range in band_score_ranges(band)
    ]


def tone_q(tone: str, *, metric: str = "metric", score: str = "score") -> models.Q:
    """Rows whose (metric, score) columns fall in a band of `tone`."""
    condition = models.Q(pk__in=[])
    for name, low, high in tone_score_ranges(tone):
        condition |= models.Q(**{metric: name, f"{score}__gte": low, f"{score}__lte": high})
    return condition
