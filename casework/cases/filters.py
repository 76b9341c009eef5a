"""Filters for case lists (django-filter). A value that is not allowed is a form error, which the
views answer with 400 and the reason, never a crash."""

from datetime import date

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.feedback.metrics import Band, Metric, Tone, band_score_ranges, tone_q
from casework.feedback.models import ResponseChannel, comment_given_q

from . import search
from .access import teams_user_works
from .lifecycle import Priority, Status
from .models import Case, Tag, first_contact_overdue_q, resolution_overdue_q

OPEN = "open"
ME, UNASSIGNED = "me", "unassigned"
SORTS = (
    ("number", "number"),
    ("priority", "priority"),
    ("created_at", "opened"),
    ("first_contact_due_at", "due"),
    ("status", "status"),
)

# Spelled out rather than built by django-filter, whose "%s (descending)" has no Latvian.
SORT_CHOICES = [
    ("number", _("Case number, lowest first")),
    ("-number", _("Case number, highest first")),
    ("priority", _("Priority, lowest first")),
    ("-priority", _("Priority, highest first")),
    ("opened", _("Opened, oldest first")),
    ("-opened", _("Opened, newest first")),
    ("due", _("First contact due, soonest first")),
    ("-due", _("First contact due, latest first")),
    ("status", _("Status")),
    ("-status", _("Status, reversed")),
]


def _band_condition(band: str) -> Q:
    condition = Q(pk__in=[])
    for metric, low, high in band_score_ranges(band):
        condition |= Q(metric=metric, score__gte=low, score__lte=high)
    return condition


def _values(value) -> list:
    return [part for part in value if part is not None] if isinstance(value, (list, tuple)) else [] if value is None else [value]


class OpenedBetweenField(django_filters.fields.DateRangeField):
    """Dates far from today are typing mistakes, and year 1 overflows when converted between zones."""

    def compress(self, data_list):
        for part in data_list or ():
            if part and not date(2000, 1, 1) <= part <= date(2999, 12, 31):
                raise forms.ValidationError(_("Choose dates from the year 2000 on."))
        return super().compress(data_list)


def _range_q(field: str, value: slice) -> Q:
    condition = Q()
    if value.start is not None:
        condition &= Q(**{f"{field}__gte": value.start})
    if value.stop is not None:
        condition &= Q(**{f"{field}__lte": value.stop})
    return condition


class OpenedBetweenFilter(django_filters.DateFromToRangeFilter):
    field_class = OpenedBetweenField


def _date_range(label, field_name=None):
    extra = {"field_name": field_name} if field_name else {"method": "noop"}
    return OpenedBetweenFilter(
        label=label, **extra, widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    )


# Notification statuses, spelled here so the cases app need not import outreach (a layer above it).
NOTIFICATION_STATUSES = (("queued", _("Queued")), ("sent", _("Sent")), ("failed", _("Failed")), ("suppressed", _("Suppressed")))


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=[(OPEN, _("Open")), *Status.choices], empty_label=_("Any status"), method="by_status"
    )
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=lambda request: teams_user_works(request.user), empty_label=_("Any team"))
    assignee = django_filters.ChoiceFilter(label=_("Assignee"), empty_label=_("Anyone"), method="by_assignee")
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices, empty_label=_("Any priority"))
    metric = django_filters.ChoiceFilter(label=_("Metric"), choices=Metric.choices, empty_label=_("Any metric"))
    band = django_filters.ChoiceFilter(label=_("Band"), choices=Band.choices, empty_label=_("Any band"), method="by_band")
    product = django_filters.CharFilter(label=_("Product"), lookup_expr="iexact", max_length=100)
    country = django_filters.CharFilter(label=_("Country"), field_name="respondent__country", method="by_country", max_length=2)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="by_overdue")
    commented = django_filters.BooleanFilter(label=_("Comment"), method="by_comment")
    created = OpenedBetweenFilter(
        label=_("Opened between"),
        field_name="created_at",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    # Filters the dashboard's numbers link to: kept in the URL, shown only while they are in use.
    channel = django_filters.ChoiceFilter(label=_("Channel"), field_name="response__channel", choices=ResponseChannel.choices)
    tag = django_filters.ModelChoiceFilter(label=_("Root-cause tag"), field_name="tags", queryset=Tag.objects.all())
    tone = django_filters.ChoiceFilter(label=_("Mood"), choices=Tone.choices, method="by_tone")
    closed = _date_range(_("Closed between"), "closed_at")
    loop = django_filters.ChoiceFilter(
        label=_("Closing e-mail"), choices=[("emailed", _("Sent")), ("not_emailed", _("Not sent"))], method="by_loop"
    )
    contacted = _date_range(_("First contacted between"), "first_contacted_at")
    emailed = _date_range(_("First closing e-mail sent between"))
    due = _date_range(_("First contact due between"), "first_contact_due_at")
    sla = django_filters.ChoiceFilter(
        label=_("First contact in time"), choices=[("met", _("In time")), ("missed", _("Late"))], method="by_sla"
    )
    notification = django_filters.ChoiceFilter(label=_("Closing e-mail status"), choices=NOTIFICATION_STATUSES, method="noop")
    notified = _date_range(_("Closing e-mail queued between"))
    sort = django_filters.OrderingFilter(
        label=_("Sort"), empty_label=_("Most urgent first"), fields=SORTS, choices=SORT_CHOICES
    )

    class Meta:
        fields = []

    LINK_ONLY = ("channel", "tag", "tone", "closed", "loop", "contacted", "emailed", "due", "sla", "notification", "notified")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        emailed, status, notified = data.get("emailed"), data.get("notification"), data.get("notified")
        if emailed:
            # By the first closing e-mail that went out, as the dashboard times it.
            first_sent = Case.objects.alias(first_sent=Min("notifications__sent_at", filter=Q(notifications__status="sent")))
            queryset = queryset.filter(pk__in=first_sent.filter(_range_q("first_sent", emailed)).values("pk"))
        if status or notified:
            condition = Q(notifications__status=status) if status else Q()
            if notified:
                condition &= _range_q("notifications__queued_at", notified)
            queryset = queryset.filter(pk__in=Case.objects.filter(condition).values("pk"))
        return queryset

    def shown_fields(self):
        """The form's fields, leaving out the dashboard's link filters unless a link set them."""
        used = {key.removesuffix("_after").removesuffix("_before") for key, value in self.data.items() if value}
        return [field for field in self.form if field.name not in self.LINK_ONLY or field.name in used]

    def noop(self, queryset, name, value):
        return queryset

    def by_tone(self, queryset, name, value):
        return queryset.filter(tone_q(value))

    def by_loop(self, queryset, name, value):
        emailed = Q(pk__in=Case.objects.filter(notifications__status="sent").values("pk"))
        return queryset.filter(emailed) if value == "emailed" else queryset.exclude(emailed)

    def by_sla(self, queryset, name, value):
        met = Q(first_contacted_at__lte=F("first_contact_due_at"))
        if value == "met":
            return queryset.filter(met)
        return queryset.filter(
            Q(first_contacted_at__gt=F("first_contact_due_at"))
            | Q(first_contacted_at__isnull=True, first_contact_due_at__lt=timezone.now())
        )

    def __init__(self, *args, request=None, teams=None, **kwargs):
        """`teams`: filter as a member of these teams who is nobody in particular (a read API token);
        by default as the person making the request."""
        super().__init__(*args, request=request, **kwargs)
        user = request.user if teams is None else None
        if teams is None:
            teams = teams_user_works(user)
        else:
            self.filters["team"].queryset = teams
        colleagues = (
            get_user_model()
            .objects.filter(memberships__team__in=teams)
            .exclude(pk=user.pk if user else None)
            .distinct()
            .order_by("first_name", "username")
        )
        self.filters["assignee"].extra["choices"] = [
            *([(ME, _("Me"))] if user else []),
            (UNASSIGNED, _("Unassigned")),
            *[(str(person.pk), person.get_full_name() or person.get_username()) for person in colleagues],
        ]
        self.filters["overdue"].field.widget.choices = [("", _("Either")), ("true", _("Overdue")), ("false", _("Not overdue"))]
        self.filters["commented"].field.widget.choices = [("", _("Either")), ("true", _("With a comment")), ("false", _("Without a comment"))]

    def active_count(self, *, shown=None) -> int:
        """How many of the filters (of those `shown`) narrow the list; the sort order does not. The
        phone's "Filters (N)" button says it while the filters are folded away."""
        form = self.form
        names = [name for name in form.fields if name != "sort" and (shown is None or name in shown)]
        return sum(1 for name in names if any(str(value).strip() for value in _values(form[name].value())))

    def search(self, queryset, name, value):
        """On the database's full-text index (search.py); the list ranks the matches."""
        condition = search.matching(value)
        return queryset if condition is None else queryset.filter(condition)

    def by_status(self, queryset, name, value):
        return queryset.exclude(status=Status.CLOSED) if value == OPEN else queryset.filter(status=value)

    def by_assignee(self, queryset, name, value):
        if value == ME:
            return queryset.filter(assignee=self.request.user)
        if value == UNASSIGNED:
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=int(value))

    def by_band(self, queryset, name, value):
        return queryset.filter(_band_condition(value))

    def by_country(self, queryset, name, value):
        return queryset.filter(respondent__country=value.upper()) if value else queryset

    def by_comment(self, queryset, name, value):
        """By the comment of the response that opened the case (the one shown in the list)."""
        given = comment_given_q("response__comment")
        return queryset.filter(given) if value else queryset.exclude(given)

    def by_overdue(self, queryset, name, value):
        now = timezone.now()
        overdue = first_contact_overdue_q(now) | resolution_overdue_q(now)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
