import datetime

import pytest
from django.utils import timezone, translation

from casework.cases.templatetags.casework import due, duration


@pytest.mark.parametrize(
    ("delta", "english", "latvian"),
    [
        (datetime.timedelta(minutes=1), "1 minute", "1 minūte"),
        (datetime.timedelta(hours=3, minutes=5), "3 hours", "3 stundas"),
        (datetime.timedelta(days=1), "1 day", "1 diena"),
        (datetime.timedelta(days=2), "2 days", "2 dienas"),
        (datetime.timedelta(days=21), "3 weeks", "3 nedēļas"),
        (datetime.timedelta(days=400), "1 year", "1 gads"),
    ],
)
def test_durations_read_naturally_in_both_languages(delta, english, latvian):
    with translation.override("en"):
        assert duration(delta) == english
    with translation.override("lv"):
        assert duration(delta) == latvian


def test_due_words_and_exact_time_on_hover():
    soon = timezone.now() + datetime.timedelta(hours=3, minutes=30)
    late = timezone.now() - datetime.timedelta(days=2, hours=1)
    with translation.override("en"):
        assert ">due in 3 hours<" in due(soon)
        assert 'class="due overdue"' in due(late) and ">overdue 2 days<" in due(late)
        assert 'title="' in due(soon)
        assert due(late, timezone.now()) == ""
