"""The privacy officer's desk: find a respondent and see what is held about them."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import render

from casework.feedback.models import Respondent
from casework.teams.roles import is_privacy_officer

MAX_RESULTS = 50


def privacy_home(request):
    if not is_privacy_officer(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    respondents = Respondent.objects.none()
    if query:
        respondents = (
            Respondent.objects.filter(
                Q(email__iexact=query) | Q(name__icontains=query) | Q(identities__external_id=query) | Q(company__icontains=query)
            )
            .annotate(case_count=Count("cases", distinct=True), response_count=Count("responses", distinct=True))
            .distinct()
            .order_by("name", "email")[:MAX_RESULTS]
        )
    return render(request, "privacy/privacy_home.html", {"query": query, "respondents": respondents})
