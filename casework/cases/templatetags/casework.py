"""Presentation helpers shared by the case screens."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timeuntil, timesince
from django.utils.translation import gettext as _

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
        words = _("overdue %(time)s") % {"time": timesince(moment, now, depth=1)}
        return format_html('<time class="due overdue" datetime="{}" title="{}">{}</time>', moment.isoformat(), exact, words)
    words = _("due in %(time)s") % {"time": timeuntil(moment, now, depth=1)}
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
