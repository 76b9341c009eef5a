"""The closing e-mail composer (lazy-loaded into the case page), the failed-notification list, and
the public one-click opt-out page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from casework.cases import workflow
from casework.cases.access import get_case_or_404, teams_user_manages, visible_cases
from casework.htmx import render_page_or_fragment, vary_on_htmx, wants_fragment

from . import sending
from .forms import ComposeForm
from .models import EmailTemplate, Notification
from .optout import OPT_OUT_LINK, BadOptOutLink, record_objection, respondent_for_token
from .templating import render as fill
from .templating import respondent_language, values_for


def _initial(case, user, template=None):
    locale = respondent_language(case.respondent)
    template = template or EmailTemplate.objects.default_for(case.team, locale)
    if template is None:
        return {"locale": locale, "version": case.version}
    values = values_for(case, user, locale=template.locale)
    return {
        "version": case.version,
        "template": template.pk,
        "locale": template.locale,
        "subject": fill(template.subject, values),
        "body": fill(template.body, values),
    }


def _preview(case, user, data) -> dict:
    """The message as it will be sent: rendered by the sending code itself, footer and language included."""
    draft = Notification(
        case=case, respondent=case.respondent, locale=data["locale"], subject=data["subject"], body=data["body"], created_by=user
    )
    text, _html = sending.render_closing(draft)
    return {"subject": data["subject"], "text": text}


def compose(request, reference):
    case = get_case_or_404(request.user, reference)
    notice, status = "", 200
    if request.method == "POST":
        form = ComposeForm(request.POST, team=case.team)
        action = request.POST.get("action", "preview")
        if action == "load":
            chosen = request.POST.get("template", "")
            pk = int(chosen) if chosen.isascii() and chosen.isdecimal() and len(chosen) < 10 else None
            template = form.fields["template"].queryset.filter(pk=pk).first()
            form = ComposeForm(initial=_initial(case, request.user, template), team=case.team)
        elif form.is_valid() and action == "send":
            try:
                notification = sending.queue_closing_notification(
                    case=case, actor=request.user, subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"], locale=form.cleaned_data["locale"],
                    expected_version=form.cleaned_data["version"],
                )
            except workflow.CaseChanged as error:
                notice, status = str(error), 409
            except (sending.ComposeError, workflow.WorkflowError) as error:
                notice, status = str(error), 422
            else:
                if notification.status == notification.Status.SUPPRESSED:
                    messages.warning(
                        request,
                        _("Nothing was sent: %(reason)s The case stays open; close it with a reason.")
                        % {"reason": notification.suppressed_reason},
                    )
                else:
                    messages.success(request, _("The closing e-mail is on its way."))
                if wants_fragment(request):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = case.get_absolute_url()
                    return vary_on_htmx(response)
                return vary_on_htmx(redirect(case))
        elif not form.is_valid():
            status = 422
    else:
        form = ComposeForm(initial=_initial(case, request.user), team=case.team)
    context = {
        "case": case,
        "form": form,
        "notice": notice,
        "suppression": sending.suppression_reason(case.respondent),
        "preview": _preview(case, request.user, form.cleaned_data) if form.is_bound and form.is_valid() else None,
        "notifications": case.notifications.order_by("-queued_at"),
    }
    return render_page_or_fragment(request, "outreach/compose.html", "composer", context, status=status)


def _outbox_visible(user):
    if not (user.is_superuser or teams_user_manages(user).exists()):
        raise PermissionDenied
    return Notification.objects.filter(case__in=visible_cases(user)).select_related("case")


def failed_notifications(request):
    failed = _outbox_visible(request.user).filter(status=Notification.Status.FAILED).order_by("-queued_at")
    return render(request, "outreach/failed.html", {"failed": failed[:200]})


def retry_notification(request, pk):
    notification = get_object_or_404(_outbox_visible(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    sending.retry(notification)
    messages.success(request, _("The e-mail will be tried again."))
    return redirect("outreach:failed")


@login_not_required
@never_cache
@csrf_exempt  # mail clients post RFC 8058 one-click requests without cookies; the signed token is the proof
def optout(request, token):
    try:
        respondent = respondent_for_token(token)
    except BadOptOutLink as problem:
        return render(request, "outreach/optout.html", {"problem": str(problem)}, status=400)
    if request.method == "POST":
        record_objection(respondent, how=OPT_OUT_LINK)
        return render(request, "outreach/optout.html", {"done": True})
    if respondent.objected_at:
        return render(request, "outreach/optout.html", {"already": respondent.objected_at})
    return render(request, "outreach/optout.html", {"token": token})

