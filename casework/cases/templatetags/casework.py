"""Presentation helpers shared by the case screens."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from casework.cases.lifecycle import CloseReason, Priority, Status
from casework.feedback.metrics import TONE, band_for

register = template.Library()


@register.simple_tag
def score_badge(response):
    """Band by colour and by word, so the badge reads without colour vision."""
    band = band_for(response.metric, response.score)
    return format_html(
        '<span class="badge tone-{}" title="{}">{} {}</span>',
        TONE[band],
        response.get_metric_display(),
        band.label,
        response.score,
    )


@register.simple_tag
def due(moment, done=None):
    """'due in 3 hours' or 'overdue 2 days', with the exact time on hover; nothing once done."""
    if moment is None or done:
        return ""
    exact = date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    now = timezone.now()
    if moment < now:
        words = _("overdue %(time)s") % {"time": duration(now - moment)}
        return format_html('<time class="due overdue" datetime="{}" title="{}">{}</time>', moment.isoformat(), exact, words)
    words = _("due in %(time)s") % {"time": duration(moment - now)}
    return format_html('<time class="due" datetime="{}" title="{}">{}</time>', moment.isoformat(), exact, words)


@register.simple_tag
def status_badge(case):
    return format_html('<span class="status status-{}">{}</span>', case.status, case.get_status_display())


@register.filter
def status_label(value):
    return Status(value).label if value in Status.values else value


@register.filter
def priority_label(value):
    return Priority(value).label if value in Priority.values else value


@register.filter
def close_reason_label(value):
    return CloseReason(value).label if value in CloseReason.values else value


@register.filter
def privacy_action_label(action):
    """Privacy Events carry a code; the timeline shows words."""
    labels = {
        "objected": _("objected to contact"),
        "restricted": _("processing restricted"),
        "restriction_lifted": _("restriction lifted"),
        "rectified": _("details corrected"),
        "erased": _("personal data erased"),
    }
    return labels.get(action, action)


@register.simple_tag(takes_context=True)
def sort_link(context, key, label):
    """A column heading that sorts by `key` (one of the filter's allow-listed names), and reverses the
    order when it already does; the other filters stay as they are."""
    request = context["request"]
    current = request.GET.get("sort", "")
    target = f"-{key}" if current == key else key
    query = request.GET.copy()
    query["sort"] = target
    query.pop("page", None)
    arrow = " ↑" if current == key else " ↓" if current == f"-{key}" else ""
    return format_html('<a href="?{}" class="sort-link">{}{}</a>', query.urlencode(), label, arrow)


def duration(delta) -> str:
    """The largest whole unit of a time span ("3 hours", "2 days"). Casework's own words, because
    Django's Latvian plural forms for these are wrong ("2 diena")."""
    minutes = int(delta.total_seconds() // 60)
    units = [
        (60 * 24 * 365, lambda n: ngettext("%(count)d year", "%(count)d years", n)),
        (60 * 24 * 30, lambda n: ngettext("%(count)d month", "%(count)d months", n)),
        (60 * 24 * 7, lambda n: ngettext("%(count)d week", "%(count)d weeks", n)),
        (60 * 24, lambda n: ngettext("%(count)d day", "%(count)d days", n)),
        (60, lambda n: ngettext("%(count)d hour", "%(count)d hours", n)),
        (1, lambda n: ngettext("%(count)d minute", "%(count)d minutes", n)),
    ]
    for size, words in units:
        if minutes >= size:
            return words(minutes // size) % {"count": minutes // size}
    return ngettext("%(count)d minute", "%(count)d minutes", 0) % {"count": 0}


@register.filter
def time_since(moment, start):
    """The span from `start` to `moment`, in the same words as due times ("5 hours")."""
    return duration(moment - start) if moment and start else ""


@register.filter
def age(moment):
    """How long ago, in the same words as due times."""
    return duration(timezone.now() - moment) if moment else ""


# Month names as a sentence needs them after a day: "since/from 27 August" is "kopš/no 27. augusta"
# (genitive), "until 27 August" is "līdz 27. augustam" (dative), "on 27 August" is "27. augustā"
# (locative). Django's DATE_FORMAT has only the standalone name ("27. augusts").
_MONTHS_SINCE = [
    pgettext_lazy("since a day of", "January"), pgettext_lazy("since a day of", "February"),
    pgettext_lazy("since a day of", "March"), pgettext_lazy("since a day of", "April"),
    pgettext_lazy("since a day of", "May"), pgettext_lazy("since a day of", "June"),
    pgettext_lazy("since a day of", "July"), pgettext_lazy("since a day of", "August"),
    pgettext_lazy("since a day of", "September"), pgettext_lazy("since a day of", "October"),
    pgettext_lazy("since a day of", "November"), pgettext_lazy("since a day of", "December"),
]
_MONTHS_UNTIL = [
    pgettext_lazy("until a day of", "January"), pgettext_lazy("until a day of", "February"),
    pgettext_lazy("until a day of", "March"), pgettext_lazy("until a day of", "April"),
    pgettext_lazy("until a day of", "May"), pgettext_lazy("until a day of", "June"),
    pgettext_lazy("until a day of", "July"), pgettext_lazy("until a day of", "August"),
    pgettext_lazy("until a day of", "September"), pgettext_lazy("until a day of", "October"),
    pgettext_lazy("until a day of", "November"), pgettext_lazy("until a day of", "December"),
]
MONTHS_ON = [
    pgettext_lazy("on a day of", "January"), pgettext_lazy("on a day of", "February"),
    pgettext_lazy("on a day of", "March"), pgettext_lazy("on a day of", "April"),
    pgettext_lazy("on a day of", "May"), pgettext_lazy("on a day of", "June"),
    pgettext_lazy("on a day of", "July"), pgettext_lazy("on a day of", "August"),
    pgettext_lazy("on a day of", "September"), pgettext_lazy("on a day of", "October"),
    pgettext_lazy("on a day of", "November"), pgettext_lazy("on a day of", "December"),
]


def _day_parts(moment, months) -> dict:
    aware = isinstance(moment, datetime.datetime) and timezone.is_aware(moment)
    day = timezone.localtime(moment) if aware else moment
    return {"day": day.day, "month": months[day.month - 1], "year": day.year}


@register.filter
def since_day(moment) -> str:
    """The day after "since" or "from": "27 August 2026" / "2026. gada 27. augusta"."""
    if not moment:
        return ""
    return pgettext("date after since", "%(day)d %(month)s %(year)d") % _day_parts(moment, _MONTHS_SINCE)


@register.filter
def until_day(moment) -> str:
    """The day after "until" or "to": "27 August 2026" / "2026. gada 27. augustam"."""
    if not moment:
        return ""
    return pgettext("date after until", "%(day)d %(month)s %(year)d") % _day_parts(moment, _MONTHS_UNTIL)


@register.filter
def on_day(moment) -> str:
    """The day something happened on: "27 August 2026" / "2026. gada 27. augustā"."""
    if not moment:
        return ""
    return pgettext("date after on", "%(day)d %(month)s %(year)d") % _day_parts(moment, MONTHS_ON)
