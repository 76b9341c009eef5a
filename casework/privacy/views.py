"""The privacy officer's desk: open requests, finding a person, everything held about them, and the
rights. Privacy officers and administrators only: everyone else gets 403 on every address here,
pages, actions and downloads alike. Every action is a POST answered with a redirect to the person's
page (or the page again with the error, 422)."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from casework.cases.models import Case
from casework.feedback.models import Respondent
from casework.teams.roles import is_privacy_officer

from . import erasure, export, requestlog, rights
from .finding import find_respondents
from .forms import EraseForm, ExportForm, FindForm, LogRequestForm, ObjectForm, ReasonForm, RectifyForm, RestrictForm
from .models import PrivacyRequest

FORMS = {
    "log": LogRequestForm, "export": ExportForm, "rectify": RectifyForm, "restrict": RestrictForm,
    "lift": ReasonForm, "object": ObjectForm, "erase": EraseForm,
}
PAGE_SIZE = 50


def _require_officer(request) -> None:
    if not is_privacy_officer(request.user):
        raise PermissionDenied


def privacy_home(request):
    _require_officer(request)
    search = FindForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    open_requests = PrivacyRequest.objects.open().select_related("respondent").most_urgent_first()
    return render(request, "privacy/privacy_home.html", {
        "query": query,
        "search_errors": search.errors.get("q", []),
        "respondents": find_respondents(query) if query else [],
        "open_requests": open_requests[:200],
    }, status=200 if search.is_valid() else 400)


def request_log(request):
    _require_officer(request)
    requests = PrivacyRequest.objects.select_related("respondent", "handled_by").order_by("-recorded_at", "-pk")
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/request_log.html", {"page": page})


def respondent_detail(request, pk):
    _require_officer(request)
    respondent = get_object_or_404(Respondent, pk=pk)
    return render(request, "privacy/respondent_detail.html", _context(respondent))


def _context(respondent, bound=None, error="", status_for=None):
    forms = {name: form_class(prefix=name) for name, form_class in FORMS.items()}
    forms["rectify"] = RectifyForm(prefix="rectify", initial={name: getattr(respondent, name) for name in RectifyForm.CHANGEABLE})
    if bound is not None:
        forms[bound.prefix] = bound
    cases = (
        Case.objects.filter(respondent=respondent)
        .select_related("team", "assignee")
        .prefetch_related("tags", "contacts__created_by", "notifications", "events__actor")
        .order_by("-number")
    )
    return {
        "respondent": respondent,
        "identities": respondent.identities.select_related("source"),
        "responses": respondent.responses.select_related("source").order_by("-received_at", "-pk")[:500],
        "response_count": respondent.responses.count(),
        "cases": cases,
        "requests": respondent.privacy_requests.select_related("handled_by", "recorded_by", "extended_by").order_by("-received_on", "-pk"),
        "forms": forms,
        "error": error,
        "error_for": status_for,
    }


def _act(request, pk, name, perform, success):
    _require_officer(request)
    respondent = get_object_or_404(Respondent, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = FORMS[name](request.POST, prefix=name)
    error = ""
    if form.is_valid():
        try:
            result = perform(respondent, form.cleaned_data)
        except rights.RectificationRefused as refused:
            for field, message in refused.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except requestlog.RequestError as refused:
            error = str(refused)
        else:
            if isinstance(result, HttpResponse):
                return result
            messages.success(request, success)
            return redirect("privacy:respondent", pk=respondent.pk)
    respondent.refresh_from_db()
    context = _context(respondent, bound=form, error=error or _("Please correct the marked fields."), status_for=name)
    return render(request, "privacy/respondent_detail.html", context, status=422)


def log_request(request, pk):
    def perform(respondent, data):
        requestlog.log_request(
            respondent=respondent, kind=data["kind"], received_on=data["received_on"], actor=request.user, note=data["note"]
        )

    return _act(request, pk, "log", perform, _("The request is on the log."))


def export_data(request, pk):
    def perform(respondent, data):
        document, _request = export.export_respondent(
            respondent=respondent, actor=request.user, kind=data["kind"], received_on=data["received_on"]
        )
        response = HttpResponse(
            json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{export.export_filename(respondent, data["kind"])}"'
        return response

    return _act(request, pk, "export", perform, "")


def rectify(request, pk):
    def perform(respondent, data):
        changes = {name: data[name] for name in RectifyForm.CHANGEABLE}
        rights.rectify(respondent=respondent, actor=request.user, changes=changes, received_on=data["received_on"])

    return _act(request, pk, "rectify", perform, _("The details are corrected everywhere they are used."))


def restrict(request, pk):
    def perform(respondent, data):
        rights.restrict(respondent=respondent, actor=request.user, received_on=data["received_on"], note=data["note"])

    return _act(request, pk, "restrict", perform, _("Processing is restricted: the person's cases are frozen."))


def lift_restriction(request, pk):
    def perform(respondent, data):
        rights.lift_restriction(respondent=respondent, actor=request.user, reason=data["reason"])

    return _act(request, pk, "lift", perform, _("The restriction is lifted."))


def object_to_contact(request, pk):
    def perform(respondent, data):
        rights.object_to_contact(respondent=respondent, actor=request.user, received_on=data["received_on"])

    return _act(request, pk, "object", perform, _("The objection is recorded: nobody will contact the person."))


def erase(request, pk):
    def perform(respondent, data):
        erasure.erase_respondent(
            respondent=respondent, actor=request.user, confirm=data["confirm"], received_on=data["received_on"]
        )

    return _act(request, pk, "erase", perform, _("The person's data is erased."))


def _request_action(request, pk, perform, success):
    _require_officer(request)
    privacy_request = get_object_or_404(PrivacyRequest, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReasonForm(request.POST, prefix=f"request-{pk}")
    if form.is_valid():
        try:
            perform(privacy_request, form.cleaned_data["reason"])
        except requestlog.RequestError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, success)
    else:
        messages.error(request, _("Write the reason."))
    return redirect("privacy:respondent", pk=privacy_request.respondent_id)


def extend_request(request, pk):
    def perform(privacy_request, reason):
        requestlog.extend_request(request=privacy_request, actor=request.user, reason=reason)

    return _request_action(request, pk, perform, _("The deadline is extended by two months."))


def refuse_request(request, pk):
    def perform(privacy_request, reason):
        requestlog.refuse_request(request=privacy_request, actor=request.user, reason=reason)

    return _request_action(request, pk, perform, _("The request is closed as refused."))
