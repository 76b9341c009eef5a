"""Loop figures (DESIGN.md, "Figures"): is the loop being closed, how fast, and does it help.
Part of the figures module's vocabulary (Table, Links, Selection); read by screen, CSV and e-mail."""

import datetime

from django.db.models import Case as When_, Count, DurationField, Exists, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.cases.lifecycle import Status
from casework.feedback.metrics import TONE_RANK, tone_score_ranges
from casework.feedback.models import Response
from casework.outreach.models import Notification

from .figures import Column, Links, Selection, Table, cases_for, percentiles
from .periods import local_today, start_of
from .scope import Scope

HOUR = datetime.timedelta(hours=1)
# Open cases by age in whole local days: (first day, last day or None for "and older").
AGE_BUCKETS = ((0, 0), (1, 2), (3, 6), (7, 29), (30, None))


def _hours(value: datetime.timedelta | None) -> float | None:
    return None if value is None else round(value / HOUR, 1)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _sent_notification():
    return Notification.objects.filter(case=OuterRef("pk"), status=Notification.Status.SENT)


def loop_table(scope: Scope, selection: Selection, links: Links) -> Table:
    period = selection.period
    cases = cases_for(scope, selection)
    days = {"first": period.first_day, "last": period.last_day}
    closed = cases.filter(period.q("closed_at"), status=Status.CLOSED)
    closed_counts = closed.aggregate(total=Count("pk"), emailed=Count("pk", filter=Exists(_sent_notification())))
    closed_params = {"status": Status.CLOSED.value, "closed_after": days["first"], "closed_before": days["last"]}
    contacted = cases.filter(period.q("first_contacted_at"))
    contacts, contact_times = percentiles(contacted, F("first_contacted_at") - F("created_at"), DurationField())
    first_sent = Subquery(_sent_notification().order_by("sent_at").values("sent_at")[:1])
    emailed = cases.annotate(first_sent=first_sent).filter(first_sent__gte=period.start, first_sent__lt=period.end)
    emails, email_times = percentiles(emailed, F("first_sent") - F("created_at"), DurationField())
    due = cases.filter(period.q("first_contact_due_at"))
    met_q = Q(first_contacted_at__lte=F("first_contact_due_at"))
    missed_q = Q(first_contacted_at__gt=F("first_contact_due_at")) | Q(
        first_contacted_at__isnull=True, first_contact_due_at__lt=timezone.now()
    )
    sla = due.aggregate(met=Count("pk", filter=met_q), missed=Count("pk", filter=missed_q))
    decided = sla["met"] + sla["missed"]
    contacted_link = links.cases(contacted_after=days["first"], contacted_before=days["last"])
    emailed_link = links.cases(emailed_after=days["first"], emailed_before=days["last"])
    due_params = {"due_after": days["first"], "due_before": days["last"]}
    rows = [
        ("opened", _("Cases opened"), cases.filter(period.q("created_at")).count(), links.opened_in(period), None, ""),
        ("closed", _("Cases closed"), closed_counts["total"], links.cases(**closed_params), None, ""),
        (
            "closed_emailed",
            _("Closed with a closing e-mail sent"),
            closed_counts["emailed"],
            links.cases(loop="emailed", **closed_params),
            None,
            "",
        ),
        (
            "loop_rate",
            _("Closed-loop rate %"),
            _share(closed_counts["emailed"], closed_counts["total"]),
            links.cases(loop="emailed", **closed_params),
            closed_counts["total"],
            links.cases(**closed_params),
        ),
        ("contact_median", _("Median time to first contact (hours)"), _hours(contact_times[50]), contacted_link, contacts, contacted_link),
        ("contact_p90", _("90th percentile time to first contact (hours)"), _hours(contact_times[90]), contacted_link, contacts, contacted_link),
        ("email_median", _("Median time to the closing e-mail (hours)"), _hours(email_times[50]), emailed_link, emails, emailed_link),
        ("email_p90", _("90th percentile time to the closing e-mail (hours)"), _hours(email_times[90]), emailed_link, emails, emailed_link),
        (
            "sla_met",
            _("First contact within its time %"),
            _share(sla["met"], decided),
            links.cases(sla="met", **due_params),
            decided,
            links.cases(**due_params),
        ),
    ]
    table = Table(
        "loop",
        _("Closing the loop"),
        [Column("label", _("Figure"), numeric=False), Column("value", _("Value")), Column("based_on", _("Based on cases"))],
    )
    for key, label, value, link, based_on, based_on_link in rows:
        table.rows.append(
            {"key": key, "label": label, "value": value, "value_link": link, "based_on": based_on, "based_on_link": based_on_link}
        )
    return table


def age_table(scope: Scope, selection: Selection, links: Links, *, now=None) -> Table:
    """Cases open now, by how many local days ago they were opened (not limited to the period)."""
    today = local_today(now)
    conditions = {}
    for first, last in AGE_BUCKETS:
        condition = Q(created_at__lt=start_of(today - datetime.timedelta(days=first - 1)))
        if last is not None:
            condition &= Q(created_at__gte=start_of(today - datetime.timedelta(days=last)))
        conditions[f"{first}-{last}"] = condition
    counts = cases_for(scope, selection).open().aggregate(**{key: Count("pk", filter=c) for key, c in conditions.items()})
    table = Table(
        "age",
        _("Open cases by age"),
        [Column("label", _("Opened"), numeric=False), Column("cases", _("Open cases"))],
    )
    for first, last in AGE_BUCKETS:
        if last is None:
            label = _("%(days)d days ago or earlier") % {"days": first}
        elif first == last == 0:
            label = _("Today")
        else:
            label = _("%(first)d–%(last)d days ago") % {"first": first, "last": last}
        key = f"{first}-{last}"
        link = links.cases(
            status="open",
            created_after=today - datetime.timedelta(days=last) if last is not None else None,
            created_before=today - datetime.timedelta(days=first),
        )
        table.rows.append({"key": key, "label": label, "cases": counts[key], "cases_link": link})
    return table


def notifications_table(scope: Scope, selection: Selection, links: Links) -> Table:
    """Closing e-mails queued in the period by what became of them; suppressed ones by reason."""
    period = selection.period
    notifications = Notification.objects.filter(case__in=cases_for(scope, selection).values("pk")).filter(period.q("queued_at"))
    table = Table(
        "notifications",
        _("Closing e-mails"),
        [
            Column("status", _("Status"), numeric=False),
            Column("reason", _("Why suppressed"), numeric=False),
            Column("notifications", _("E-mails")),
        ],
        empty=_("No closing e-mails in this period."),
    )
    rows = notifications.values_list("status", "suppressed_reason").annotate(n=Count("pk")).order_by("status", "-n")
    for status, reason, number in rows:
        table.rows.append(
            {
                "key": f"{status}-{reason}",
                "status": Notification.Status(status).label,
                "reason": reason,
                "notifications": number,
                "notifications_link": links.cases(
                    notification=status, notified_after=period.first_day, notified_before=period.last_day
                ),
            }
        )
    return table


def _rank(score_field: str):
    """0, 1 or 2 for the bad, middle and good band of the case's metric."""
    whens = [
        When(Q(metric=metric, **{f"{score_field}__gte": low, f"{score_field}__lte": high}), then=Value(rank))
        for tone, rank in TONE_RANK.items()
        for metric, low, high in tone_score_ranges(tone)
    ]
    return When_(*whens, output_field=IntegerField())


def recovery_table(scope: Scope, selection: Selection, links: Links) -> Table:
    """Of cases closed in the period, those whose respondent answered the same metric again after the
    closing: the share whose next answer is in a better band, and the median change of score. People
    who never answered again are left out: there is nothing to compare."""
    period = selection.period
    closed = cases_for(scope, selection).filter(period.q("closed_at"), status=Status.CLOSED, respondent__isnull=False)
    following = Response.objects.filter(
        respondent_id=OuterRef("respondent_id"), metric=OuterRef("metric"), answered_at__gt=OuterRef("closed_at")
    ).order_by("answered_at", "pk")
    compared = closed.annotate(next_score=Subquery(following.values("score")[:1])).filter(next_score__isnull=False)
    compared = compared.annotate(before_rank=_rank("score"), after_rank=_rank("next_score"))
    counts = compared.aggregate(
        cases=Count("pk"),
        people=Count("respondent_id", distinct=True),
        better=Count("pk", filter=Q(after_rank__gt=F("before_rank"))),
    )
    _total, change = percentiles(compared, F("next_score") - F("score"), IntegerField(), points=(50,))
    closed_link = links.cases(status=Status.CLOSED.value, closed_after=period.first_day, closed_before=period.last_day)
    table = Table(
        "recovery",
        _("Recovery after closing"),
        [Column("label", _("Figure"), numeric=False), Column("value", _("Value"))],
    )
    for key, label, value, link in (
        ("closed", _("Cases closed"), closed.count(), closed_link),
        ("answered_again", _("Of them, the respondent answered again"), counts["cases"], ""),
        ("people", _("People those answers came from"), counts["people"], ""),
        ("better", _("Next answer in a better band %"), _share(counts["better"], counts["cases"]), ""),
        ("median_change", _("Median change of score"), change[50], ""),
    ):
        table.rows.append({"key": key, "label": label, "value": value, "value_link": link})
    return table

