"""Case lists, bulk actions and notices. Every query starts from the access checkpoint."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from casework.teams.roles import is_privacy_officer

from . import bulk, search
from casework.htmx import render_page_or_fragment, vary_on_htmx, wants_fragment

from .access import teams_user_manages, teams_user_works, visible_cases
from .filters import CaseFilter
from .listing import MostUrgentFirst
from .lifecycle import Status
from .models import Notice

PAGE_SIZE = 50
SEARCH_COUNT_LIMIT = 1000


def my_cases(request):
    # A privacy officer outside every team has no cases of their own: their home is the privacy desk.
    if is_privacy_officer(request.user) and not teams_user_works(request.user).exists():
        return redirect("privacy:home")
    cases = visible_cases(request.user).filter(assignee=request.user).open().workable()
    if _lands_on_team_overview(request, cases):
        return vary_on_htmx(redirect("insights:teams"))
    return _list(request, cases, {"heading": _("My cases"), "list_url": reverse("cases:mine"), "mine": True})


def _lands_on_team_overview(request, own_cases) -> bool:
    """A manager with nothing of her own starts where her work is: the team overview. Only the bare
    home page redirects (a filtered or htmx request is someone working the list), and administrators,
    who manage every team without being in one, keep My cases."""
    if request.GET or wants_fragment(request) or request.user.is_superuser:
        return False
    return teams_user_manages(request.user).exists() and not own_cases.exists()


def case_list(request):
    return _list(request, visible_cases(request.user), {"heading": _("All cases"), "list_url": reverse("cases:list")})


def team_queue(request, slug):
    team = teams_user_manages(request.user).filter(slug=slug).first()
    if team is None:
        raise Http404
    cases = visible_cases(request.user).filter(team=team).open().workable()
    heading = _("Queue of team %(team)s") % {"team": team}
    return _list(request, cases, {"heading": heading, "list_url": reverse("cases:team-queue", args=[slug]), "team": team})


def _list(request, cases, extra):
    template = "cases/case_list.html"
    case_filter = CaseFilter(request.GET, queryset=cases.for_list(), request=request)
    status = 200
    if not case_filter.is_valid():
        results, status = cases.none(), 400
    elif case_filter.form.cleaned_data.get("sort"):
        results = case_filter.qs
    elif query := case_filter.form.cleaned_data.get("q", "").strip():
        # Ranked by relevance, then urgency; counted no further than a person would page.
        found = case_filter.qs
        results = MostUrgentFirst(found, tiers=search.ranked(found, query), count_limit=SEARCH_COUNT_LIMIT)
    else:
        results = MostUrgentFirst(case_filter.qs)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [name for name in case_filter.form.fields if not (extra.get("mine") and name == "assignee")]
    context = {
        "filter": case_filter,
        "page": page,
        "active_filters": case_filter.active_count(shown=shown),
        "more_than_counted": getattr(results, "more_than_counted", False),
        **_bulk_context(request),
        **extra,
    }
    return render_page_or_fragment(request, template, "results", context, status=status)


def _bulk_context(request):
    if not teams_user_manages(request.user).exists():
        return {"may_bulk_edit": False}
    return {
        "bulk_statuses": Status.choices,
        "bulk_people": _people(teams_user_works(request.user)),
        "may_bulk_edit": True,
    }


def _people(teams):
    people = get_user_model().objects.filter(memberships__team__in=teams, is_active=True).distinct()
    return [(person.pk, person.get_full_name() or person.get_username()) for person in people.order_by("first_name")]


@require_POST
def bulk_action(request):
    action = request.POST.get("action", "")
    try:
        count = bulk.apply(
            user=request.user,
            references=request.POST.getlist("cases"),
            action=action,
            value=request.POST.get(f"{action}_value", "") if action in bulk.ACTIONS else "",
        )
    except bulk.BulkRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, ngettext("%(count)d case changed.", "%(count)d cases changed.", count) % {"count": count})
    return redirect(_back_to_list(request))


def _back_to_list(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "cases:list"


def notices(request):
    mine = Notice.objects.filter(user=request.user, case__in=visible_cases(request.user)).select_related("case")
    return render(request, "cases/notices.html", {"notices": mine[:200]})


@require_POST
def read_notices(request):
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("cases:notices")


