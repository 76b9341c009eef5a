import pytest

from casework.feedback.metrics import Band, band_for


@pytest.mark.parametrize(
    ("metric", "score", "band"),
    [
        ("nps", 0, Band.DETRACTOR),
        ("nps", 6, Band.DETRACTOR),
        ("nps", 7, Band.PASSIVE),
        ("nps", 8, Band.PASSIVE),
        ("nps", 9, Band.PROMOTER),
        ("nps", 10, Band.PROMOTER),
        ("csat", 2, Band.NEGATIVE),
        ("csat", 3, Band.NEUTRAL),
        ("csat", 4, Band.POSITIVE),
        ("ces", 3, Band.NEGATIVE),
        ("ces", 4, Band.NEUTRAL),
        ("ces", 5, Band.POSITIVE),
    ],
)
def test_bands_follow_the_design(metric, score, band):
    assert band_for(metric, score) == band
