"""The case page and its actions. GET shows the page; each action is a POST that answers htmx with the
`case-work` part of the page (409 when the case changed meanwhile, 422 when the input was refused) and
a plain browser with a redirect back to the page."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from casework.htmx import render_page_or_fragment, vary_on_htmx, wants_fragment

from . import workflow
from . import access
from .access import get_case_or_404, works_team
from .forms import ActionForm, AssignForm, ClaimForm, ContactForm, NoteForm, ShareForm, StatusForm
from .models import CaseResponse, Contact, Event

FORMS = {"claim": ClaimForm, "assign": AssignForm, "status": StatusForm, "contact": ContactForm, "note": NoteForm, "action": ActionForm, "share": ShareForm}


def case_detail(request, reference):
    case = get_case_or_404(request.user, reference)
    return render(request, "cases/case_detail.html", _context(request, case))


def _context(request, case, bound=None, error="", done=""):
    user = request.user
    forms = {name: form_class(case=case, user=user) for name, form_class in FORMS.items()}
    if bound is not None:
        forms[bound.prefix_name] = bound
    return {
        "case": case,
        "responses": [link.response for link in CaseResponse.objects.filter(case=case).select_related("response")],
        "timeline": _timeline(case),
        # The newest closing e-mail that came back undelivered, shown until a newer one is sent.
        "bounced": _bounced(case),
        "forms": forms,
        "may_work": works_team(user, case.team) or user.has_perm("cases.work_case", case),
        "may_share": access.may_share(user, case),
        "may_manage": access.manages_case(user, case),
        "may_claim": access.may_claim(user, case),
        "error": error,
        "done": done,
    }


def _bounced(case) -> list:
    newest = case.notifications.order_by("-queued_at").first()
    return [newest] if newest is not None and newest.status == "bounced" else []


PEOPLE_EVENTS = (Event.Kind.ASSIGNED, Event.Kind.SHARED)


def _timeline(case) -> list[Event]:
    """Events in order, each contact and closing e-mail attached to the Event that recorded it. A
    closing e-mail is one line that shows where it is now (queued, sent, failed), not a line per step;
    people are named by their names."""
    events = list(Event.objects.filter(case=case).select_related("actor"))
    contacts = {contact.pk: contact for contact in Contact.objects.filter(case=case).select_related("created_by")}
    notifications = {notification.pk: notification for notification in case.notifications.all()}
    names = _names_of([event.data.get(key) for event in events if event.kind in PEOPLE_EVENTS for key in ("from", "to")])
    shown, seen = [], set()
    for event in events:
        event.contact = contacts.get(event.data.get("contact"))
        event.notification = notifications.get(event.data.get("notification"))
        if event.notification is not None:
            if event.notification.pk in seen:
                continue
            seen.add(event.notification.pk)
        if event.kind in PEOPLE_EVENTS:
            event.from_name, event.to_name = names.get(event.data.get("from")), names.get(event.data.get("to"))
        shown.append(event)
    return shown


def _names_of(people) -> dict:
    """{user id or (older events) username: full name}."""
    ids = {person for person in people if isinstance(person, int)}
    usernames = {person for person in people if isinstance(person, str)}
    users = get_user_model().objects.filter(Q(pk__in=ids) | Q(username__in=usernames))
    names = {}
    for user in users:
        names[user.pk] = names[user.username] = user.get_full_name() or user.get_username()
    return names


def _act(request, reference, name, perform, success):
    # The case first: another team's case is a 404 whatever the method, not a 405 that confirms it.
    case = get_case_or_404(request.user, reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = FORMS[name](request.POST, case=case, user=request.user)
    status, error = 200, ""
    if not form.is_valid():
        status, error = 422, _("Please correct the marked fields.")
        if "version" in form.errors:
            status, error = 400, _("The form is incomplete; reload the page.")
    else:
        try:
            perform(case, form.cleaned_data, form.cleaned_data["version"])
        except workflow.CaseChanged as refused:
            status, error = 409, str(refused)
        except workflow.WorkflowError as refused:
            status, error = 422, str(refused)
    if status == 200:
        case.refresh_from_db()
        if not wants_fragment(request):
            messages.success(request, success)
            return vary_on_htmx(redirect(case))
        return render_page_or_fragment(request, "cases/case_detail.html", "case-work", _context(request, case, done=success))
    if status == 409:
        case.refresh_from_db()
        form = None  # show the case as it is now
    return render_page_or_fragment(request, "cases/case_detail.html", "case-work", _context(request, case, form, error), status=status)


def claim(request, reference):
    def perform(case, data, version):
        workflow.claim_case(case=case, actor=request.user, expected_version=version)

    return _act(request, reference, "claim", perform, _("The case is yours."))


def assign(request, reference):
    def perform(case, data, version):
        workflow.assign_case(case=case, assignee=data["assignee"], actor=request.user, expected_version=version)

    return _act(request, reference, "assign", perform, _("Assigned."))


def change_status(request, reference):
    def perform(case, data, version):
        workflow.change_status(case=case, to=data["to"], reason=data["reason"], actor=request.user, expected_version=version)

    return _act(request, reference, "status", perform, _("Status changed."))


def log_contact(request, reference):
    def perform(case, data, version):
        workflow.log_contact(
            case=case, actor=request.user, channel=data["channel"], direction=data["direction"],
            outcome=data["outcome"], summary=data["summary"], contacted_at=data["contacted_at"], expected_version=version,
        )

    return _act(request, reference, "contact", perform, _("Contact logged."))


def add_note(request, reference):
    def perform(case, data, version):
        workflow.add_note(case=case, actor=request.user, text=data["text"], expected_version=version)

    return _act(request, reference, "note", perform, _("Note added."))


def record_action(request, reference):
    def perform(case, data, version):
        workflow.record_action(
            case=case, actor=request.user, action_summary=data["action_summary"], tags=data["tags"], expected_version=version
        )

    return _act(request, reference, "action", perform, _("Saved."))


def share(request, reference):
    def perform(case, data, version):
        workflow.share_case(case=case, actor=request.user, colleague=data["colleague"], expected_version=version)

    return _act(request, reference, "share", perform, _("Shared."))
