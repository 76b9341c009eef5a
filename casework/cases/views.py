"""Staff screens. Every query starts from the access checkpoint."""

from django.core.paginator import Paginator
from django.shortcuts import render

from .access import get_case_or_404, visible_cases
from .filters import CaseFilter
from .models import CaseResponse, Contact, Event

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def my_cases(request):
    cases = visible_cases(request.user).filter(assignee=request.user).open().for_list().most_urgent_first()
    return render(request, "cases/my_cases.html", {"page": _page(request, cases)})


def case_list(request):
    cases = visible_cases(request.user).for_list().most_urgent_first()
    case_filter = CaseFilter(request.GET, queryset=cases, request=request)
    page = _page(request, case_filter.qs if case_filter.is_valid() else cases.none())
    template = "cases/case_list.html#results" if request.htmx else "cases/case_list.html"
    return render(request, template, {"filter": case_filter, "page": page})


def case_detail(request, reference):
    case = get_case_or_404(request.user, reference)
    responses = CaseResponse.objects.filter(case=case).select_related("response")
    timeline = Event.objects.filter(case=case).select_related("actor")
    contacts = Contact.objects.filter(case=case).select_related("created_by")
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "responses": [link.response for link in responses],
            "timeline": timeline,
            "contacts": contacts,
            "notifications": case.notifications.all(),
        },
    )
