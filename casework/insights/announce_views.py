""""You said, we did": choose the complaints, write one message, preview it, confirm with the counts."""

import datetime
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import announcing
from .filters import AnnouncementForm
from .models import Announcement
from .periods import local_today
from .scope import scope_for


def _scope_or_403(user):
    scope = scope_for(user)
    if scope.own_only:
        raise PermissionDenied
    return scope


def announce(request):
    scope = _scope_or_403(request.user)
    today = local_today()
    context, status = {}, 200
    if request.method != "POST":
        form = AnnouncementForm(
            initial={"first_day": today - datetime.timedelta(days=89), "last_day": today, "locale": request.LANGUAGE_CODE},
            scope=scope,
        )
    else:
        form = AnnouncementForm(request.POST, scope=scope)
        if not form.is_valid():
            status = 400
        elif request.POST.get("action") == "send" and form.cleaned_data["token"]:
            return _send(request, scope, form.cleaned_data)
        else:
            context = _preview(request, scope, form.cleaned_data)
    runs = Announcement.objects.select_related("tag", "created_by")
    if not request.user.is_superuser:
        runs = runs.filter(created_by=request.user)
    context |= {"form": form, "runs": [(run, announcing.outcome(run)) for run in runs[:20]]}
    return render(request, "insights/announce.html", context, status=status)


def _preview(request, scope, data) -> dict:
    people = announcing.audience(scope, tag=data["tag"], period=data["span"], product=data["product"])
    sample = people.eligible[0] if people.eligible else None
    preview = (
        announcing.preview(sample, request.user, subject=data["subject"], body=data["body"], locale=data["locale"]) if sample else None
    )
    return {"counts": people.counts, "preview": preview, "token": uuid.uuid4()}


def _send(request, scope, data):
    run, created = announcing.send(
        scope=scope, actor=request.user, token=data["token"], tag=data["tag"], period=data["span"], product=data["product"],
        subject=data["subject"], body=data["body"], locale=data["locale"], close_resolved=data["close_resolved"],
    )
    if created:
        messages.success(
            request,
            ngettext("%(count)d e-mail queued.", "%(count)d e-mails queued.", run.queued) % {"count": run.queued},
        )
    else:
        messages.info(request, _("This message was sent already; nothing was sent again."))
    return redirect("insights:announce")
