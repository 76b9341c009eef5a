"""Filters for case lists. Unknown values are form errors, which the views answer with an empty,
explained result rather than a crash."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.feedback.metrics import Metric

from .access import teams_user_works
from .lifecycle import Priority, Status
from .models import Case


def _teams(request):
    return teams_user_works(request.user) if request else Case.objects.none()


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("Any status"))
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams, empty_label=_("Any team"))
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices, empty_label=_("Any priority"))
    metric = django_filters.ChoiceFilter(
        label=_("Metric"), field_name="response__metric", choices=Metric.choices, empty_label=_("Any metric")
    )
    product = django_filters.CharFilter(label=_("Product"), lookup_expr="iexact")
    sort = django_filters.OrderingFilter(
        label=_("Sort"),
        empty_label=_("Most urgent first"),
        fields=(("number", "number"), ("priority", "priority"), ("created_at", "opened"), ("first_contact_due_at", "due")),
        field_labels={"number": _("Number"), "priority": _("Priority"), "created_at": _("Opened"), "first_contact_due_at": _("Due")},
    )

    class Meta:
        model = Case
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = (
            Q(respondent__name__icontains=value)
            | Q(respondent__email__icontains=value)
            | Q(response__comment__icontains=value)
        )
        digits = value.upper().removeprefix("CW-")
        if digits.isascii() and digits.isdigit() and len(digits) <= 9:
            condition |= Q(number=int(digits))
        return queryset.filter(condition)
