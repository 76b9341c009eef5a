"""The dashboard's periods: whole days in settings.TIME_ZONE, so a week or a day means what the
people reading the figures mean by it, across daylight-saving changes too."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Preset(models.TextChoices):
    LAST_7 = "7d", _("Last 7 days")
    LAST_30 = "30d", _("Last 30 days")
    LAST_90 = "90d", _("Last 90 days")
    QUARTER = "quarter", _("This quarter")
    CUSTOM = "custom", _("Custom")


DEFAULT_PRESET = Preset.LAST_30
_DAYS = {Preset.LAST_7: 7, Preset.LAST_30: 30, Preset.LAST_90: 90}
# A custom period longer than this is a typing mistake, and would read years of answers.
LONGEST = datetime.timedelta(days=3 * 366)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(local_zone()).date()


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in local time, as an aware datetime (23 or 25 hours apart around DST changes)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=local_zone())


@dataclass(frozen=True)
class Period:
    first_day: datetime.date
    last_day: datetime.date  # inclusive

    @property
    def start(self) -> datetime.datetime:
        return start_of(self.first_day)

    @property
    def end(self) -> datetime.datetime:
        """Exclusive: midnight after the last day."""
        return start_of(self.last_day + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before, for comparison."""
        last = self.first_day - datetime.timedelta(days=1)
        return Period(last - datetime.timedelta(days=self.days - 1), last)

    def q(self, field: str) -> models.Q:
        return models.Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})


def period_for(preset: str, *, first_day=None, last_day=None, today: datetime.date | None = None) -> Period:
    today = today or local_today()
    if preset in _DAYS:
        return Period(today - datetime.timedelta(days=_DAYS[preset] - 1), today)
    if preset == Preset.QUARTER:
        first_month = 3 * ((today.month - 1) // 3) + 1
        return Period(datetime.date(today.year, first_month, 1), today)
    return Period(first_day, last_day)


def week_start(day: datetime.date) -> datetime.date:
    """Monday of the ISO week of `day`."""
    return day - datetime.timedelta(days=day.weekday())
