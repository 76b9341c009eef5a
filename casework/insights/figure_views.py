"""The dashboard: figures and trends for the period and filters in the URL, the answers behind a
number, and CSV exports — each limited to what the user may see (scope.py)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from casework.cases.access import visible_cases
from casework.cases.filters import CaseFilter
from casework.feedback.metrics import Metric, band_score_ranges
from casework.htmx import render_page_or_fragment

from .charts import bar_chart, line_chart
from .exports import case_header, case_rows, csv_response, table_rows
from .figures import Links, Selection, responses_for
from .filters import DashboardForm, ResponseListForm
from .scope import scope_for
from .tables import ANSWER_TABLES, NAMES, build

PAGE_SIZE = 50


def band_q(band: str) -> Q:
    condition = Q(pk__in=[])
    for metric, low, high in band_score_ranges(band):
        condition |= Q(metric=metric, score__gte=low, score__lte=high)
    return condition


def _managed_teams_or_403(user):
    teams = teams_user_manages(user)
    if not teams.exists():
        raise PermissionDenied
    return teams


def team_overview(request):
    teams = _managed_teams_or_403(request.user)
    now = timezone.now()
    # A restricted person's cases are frozen, so they are not work to count.
    restricted = restricted_respondents()
    open_cases = ~Q(cases__status=Status.CLOSED) & ~Q(cases__respondent_id__in=restricted)
    teams = teams.annotate(
        open_count=Count("cases", filter=open_cases),
        unassigned_count=Count("cases", filter=open_cases & Q(cases__assignee__isnull=True)),
        overdue_count=Count(
            "cases", filter=open_cases & Q(cases__first_contacted_at__isnull=True, cases__first_contact_due_at__lt=now)
        ),
    )
    members = (
        Membership.objects.filter(team__in=teams)
        .select_related("user", "team")
        .annotate(
            open_count=Count(
                "user__assigned_cases",
                filter=~Q(user__assigned_cases__status=Status.CLOSED)
                & Q(user__assigned_cases__team=F("team"))
                & ~Q(user__assigned_cases__respondent_id__in=restricted),
            )
        )
    )
    return render(request, "insights/team_overview.html", {"teams": teams, "members": members})


def dashboard(request):
    """Figures and trends for the period and filters in the URL, limited to what the user may see."""
    scope = scope_for(request.user)
    form = DashboardForm(request.GET, scope=scope)
    context = {"form": form, "scope": scope}
    status = 200
    if form.is_valid():
        selection = Selection.from_cleaned(form.cleaned_data)
        tables = build(scope, selection)
        opened = Links(scope, selection).case_params(
            created_after=selection.period.first_day, created_before=selection.period.last_day
        )
        context |= {
            "selection": selection,
            "tables": tables,
            "charts": charts_for(tables, selection),
            "query": urlencode(selection.query()),
            "case_export_url": reverse("insights:case-export") + "?" + urlencode(opened),
        }
        context["no_answers"] = scope.sees_answers and not any(row["answers"] for row in tables["scores"].rows)
    else:
        status = 400
    return render_page_or_fragment(request, "insights/dashboard.html", "figures", context, status=status)


def responses(request):
    """The answers behind a dashboard number: same filters, plus a band."""
    scope = scope_for(request.user)
    if not scope.sees_answers:
        raise PermissionDenied
    form = ResponseListForm(request.GET, scope=scope)
    if not form.is_valid():
        return render(request, "insights/responses.html", {"form": form}, status=400)
    selection = Selection.from_cleaned(form.cleaned_data)
    answers = responses_for(scope, selection).select_related("respondent").order_by("-answered_at", "-pk")
    if form.cleaned_data["band"]:
        answers = answers.filter(band_q(form.cleaned_data["band"]))
    page = Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page"))
    cases = dict(
        scope.cases.filter(case_responses__response__in=[answer.pk for answer in page]).values_list("case_responses__response", "number")
    )
    for answer in page:
        number = cases.get(answer.pk)
        answer.case_reference = f"{settings.CASEWORK_CASE_PREFIX}{number}" if number else ""
        # Restricted and erased people's words stay out of view; the score still counts.
        person = answer.respondent
        answer.withheld = bool(person and (person.restricted_at or person.erased_at))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "insights/responses.html",
        {"form": form, "page": page, "selection": selection, "query": query.urlencode(), "dashboard_query": urlencode(selection.query())},
    )


def charts_for(tables: dict, selection) -> list:
    drawn = []
    trend = tables.get("trend")
    if trend is not None and trend.rows:
        previous = {row["key"]: row["previous"] for row in tables["scores"].rows}
        for metric in Metric:
            points = [(row["week"].strftime("%d.%m"), row["score"], row["answers_link"]) for row in trend.rows if row["metric"] == metric]
            if points:
                low = -100 if metric == Metric.NPS else 0
                chart = line_chart(
                    title=_("%(metric)s by week") % {"metric": metric.label},
                    x_label=_("Week from"),
                    y_label=_("NPS") if metric == Metric.NPS else _("Share of good answers"),
                    low=low, high=100, points=points, reference=previous.get(metric.value),
                )
                drawn.append((chart, trend))
    age = tables["age"]
    drawn.append(
        (
            bar_chart(
                title=_("Open cases by age"), x_label=_("Opened"), y_label=_("Cases"),
                bars=[(row["label"], row["cases"], row["cases_link"], "") for row in age.rows],
            ),
            age,
        )
    )
    tags = tables["tags"]
    if tags.rows:
        drawn.append(
            (
                bar_chart(
                    title=tags.title, x_label=_("Root-cause tag"), y_label=_("Cases"),
                    bars=[(row["name"], row["cases"], row["cases_link"], "bad") for row in tags.rows],
                ),
                tags,
            )
        )
    return [{"chart": chart, "table": table, "id": f"chart-{index}"} for index, (chart, table) in enumerate(drawn)]


def table_export(request):
    """One dashboard table (?table=tags) as CSV, for the same filters; the loop figures, which every
    role has, when none is named."""
    name = request.GET.get("table") or "loop"
    scope = scope_for(request.user)
    if name not in NAMES or (name in ANSWER_TABLES and not scope.sees_answers):
        raise Http404
    form = DashboardForm(request.GET, scope=scope)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    selection = Selection.from_cleaned(form.cleaned_data)
    table = build(scope, selection, names=(name,))[name]
    period = selection.period
    filename = f"{name}-{period.first_day.isoformat()}-{period.last_day.isoformat()}.csv"
    return csv_response(filename, [str(column.label) for column in table.columns], table_rows(table))


def case_export(request):
    """The case list as CSV, with the list's filters: only cases the user may see."""
    case_filter = CaseFilter(request.GET, queryset=visible_cases(request.user).most_urgent_first(), request=request)
    if not case_filter.is_valid():
        return JsonResponse({"errors": case_filter.errors}, status=400)
    return csv_response("cases.csv", case_header(), case_rows(case_filter.qs, prefix=settings.CASEWORK_CASE_PREFIX))
