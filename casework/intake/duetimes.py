"""Due times from a rule's hours: calendar hours, or the team's working hours (Mon–Fri, in the
team's time zone), as the CASEWORK_DUE_CLOCK setting chooses."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from casework.teams.models import Team

CALENDAR = "calendar"
BUSINESS = "business"


def due_at(start: datetime.datetime, hours: float, *, team: Team) -> datetime.datetime:
    if settings.CASEWORK_DUE_CLOCK == BUSINESS:
        return add_working_hours(
            start, hours, tz=ZoneInfo(team.time_zone), day_start=team.work_starts, day_end=team.work_ends
        )
    return start + datetime.timedelta(hours=hours)


def add_working_hours(
    start: datetime.datetime, hours: float, *, tz: ZoneInfo, day_start: datetime.time, day_end: datetime.time
) -> datetime.datetime:
    """`hours` of working time after `start`. Work begun outside working hours starts counting at the
    next opening, as a customer would expect of a team that is not in."""
    remaining = datetime.timedelta(hours=hours)
    cursor = start.astimezone(tz)
    while True:
        opens = datetime.datetime.combine(cursor.date(), day_start, tzinfo=tz)
        closes = datetime.datetime.combine(cursor.date(), day_end, tzinfo=tz)
        if cursor.weekday() >= 5 or cursor >= closes:
            cursor = datetime.datetime.combine(cursor.date() + datetime.timedelta(days=1), day_start, tzinfo=tz)
            continue
        cursor = max(cursor, opens)
        if remaining <= closes - cursor:
            return (cursor + remaining).astimezone(datetime.UTC)
        remaining -= closes - cursor
        cursor = datetime.datetime.combine(cursor.date() + datetime.timedelta(days=1), day_start, tzinfo=tz)
