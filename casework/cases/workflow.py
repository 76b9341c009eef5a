"""Every change to a case goes through here: one transaction, one Event per change, and a version
check so that two people acting at once cannot silently overwrite each other."""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from casework.feedback.models import Respondent

from . import access, search
from .lifecycle import REASONS_WITHOUT_NOTIFICATION, CloseReason, Priority, Status, allowed_next
from .models import Case, Contact, Event, Tag


class WorkflowError(Exception):
    """A change refused for a reason the person can act on; the message says which."""


class CaseChanged(WorkflowError):
    """Someone else changed the case since it was loaded."""


class ProcessingRestricted(WorkflowError):
    """The respondent restricted processing (GDPR Art. 18): nothing on their cases may change."""


def ensure_may_change(case: Case) -> None:
    """Every write on a case passes here (update_case, the composer), so a restriction holds whatever
    screen, bulk action, command or job tries the change. Read from the database, not from the loaded
    case, because the privacy officer may have restricted the person a moment ago."""
    if case.respondent_id and Respondent.objects.filter(pk=case.respondent_id, restricted_at__isnull=False).exists():
        raise ProcessingRestricted(
            _("The respondent has restricted processing of their data: nothing on this case can change until the privacy officer lifts the restriction.")
        )


# Who hears of new Events in the transaction that writes them: the outbound webhooks' outbox (a layer
# above, registered by its apps.py) writes its deliveries here, so every service that records an Event
# feeds it without knowing of it, and a rollback takes both away.
_event_observers: list[Callable[[list[Event]], None]] = []


def register_event_observer(observer: Callable[[list[Event]], None]) -> None:
    if observer not in _event_observers:
        _event_observers.append(observer)


def record_event(*, case: Case, kind: str, actor=None, when=None, **data) -> Event:
    return record_events([Event(case=case, kind=kind, actor=actor, data=data, created_at=when or timezone.now())])[0]


def record_events(events: list[Event]) -> list[Event]:
    """Every Event is written here, one or a batch, together with what its observers write: in the
    caller's transaction, or in one of its own (no savepoint per Event inside a service's)."""
    if not transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return record_events(events)
    events = Event.objects.bulk_create(events, batch_size=1000) if len(events) > 1 else [_saved(events[0])] if events else []
    for observer in _event_observers:
        observer(events)
    return events


def _saved(event: Event) -> Event:
    event.save(force_insert=True)
    return event


def update_case(case: Case, expected_version: int | None, **fields) -> None:
    """Write `fields` only if the case is still at the version the caller saw."""
    ensure_may_change(case)
    version = case.version if expected_version is None else expected_version
    updated = Case.objects.filter(pk=case.pk, version=version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise CaseChanged(_("This case was changed by someone else. Reload it and try again."))
    for name, value in fields.items():
        setattr(case, name, value)
    case.version = version + 1


def _has_closing_notification(case: Case) -> bool:
    # Notifications belong to outreach, a layer above; the reverse relation avoids importing it.
    notifications = getattr(case, "notifications", None)
    if notifications is None:
        return False
    # Only an e-mail about this round counts: one sent before the case was reopened told of older work.
    reopened = (
        Event.objects.filter(case=case, kind=Event.Kind.STATUS, data__from=Status.CLOSED).order_by("-created_at").first()
    )
    current = notifications.filter(status__in=["queued", "sent"])
    if reopened is not None:
        current = current.filter(queued_at__gte=reopened.created_at)
    return current.exists()


@transaction.atomic
def change_status(
    *, case: Case, to: str, actor=None, reason: str = "", expected_version: int | None = None, when=None
) -> Case:
    if to not in allowed_next(case.status):
        raise WorkflowError(
            _("A case that is %(from)s cannot become %(to)s.")
            % {"from": Status(case.status).label, "to": Status(to).label if to in Status.values else to}
        )
    if actor is not None and not access.may_move_to(actor, case, to):
        raise WorkflowError(_("Only a manager of team %(team)s can reopen a closed case.") % {"team": case.team})
    when = when or timezone.now()
    fields = {"status": to}
    if to == Status.CLOSED:
        if reason == CloseReason.NOTIFIED or not reason:
            if not _has_closing_notification(case):
                raise WorkflowError(
                    _("Send the closing e-mail first, or choose a reason for closing without one.")
                )
            reason = CloseReason.NOTIFIED
        elif reason not in REASONS_WITHOUT_NOTIFICATION:
            raise WorkflowError(_("Choose a valid reason for closing."))
        fields.update(closed_at=when, close_reason=reason)
    elif to == Status.RESOLVED:
        fields["resolved_at"] = when
    elif case.status in (Status.CLOSED, Status.RESOLVED):
        # Reopening: the case is open again, so the earlier end no longer stands.
        fields.update(closed_at=None, close_reason="", resolved_at=None)
    previous = case.status
    update_case(case, expected_version, **fields)
    record_event(case=case, kind=Event.Kind.STATUS, actor=actor, when=when, **{"from": previous, "to": to}, reason=reason)
    return case


@transaction.atomic
def assign_case(*, case: Case, assignee, actor=None, expected_version: int | None = None, when=None) -> Case:
    if actor is not None and not access.may_assign(actor, case, assignee):
        raise WorkflowError(_("Only a manager of team %(team)s can assign its cases to others.") % {"team": case.team})
    if assignee is not None and not access.is_member(assignee, case.team):
        raise WorkflowError(_("%(name)s is not a member of team %(team)s.") % {"name": assignee, "team": case.team})
    previous = case.assignee_id
    update_case(case, expected_version, assignee=assignee)
    # People by id: the timeline shows their names as they are now, whatever their usernames.
    record_event(case=case, kind=Event.Kind.ASSIGNED, actor=actor, when=when, **{"from": previous, "to": assignee.pk if assignee else None})
    return case


@transaction.atomic
def log_contact(
    *,
    case: Case,
    actor,
    channel: str,
    direction: str,
    outcome: str,
    summary: str = "",
    contacted_at: datetime.datetime | None = None,
    expected_version: int | None = None,
    details: dict | None = None,
) -> Contact:
    """`actor` is None for a reply that came in by e-mail; `details` go on the Event beside the contact."""
    contacted_at = contacted_at or timezone.now()
    contact = Contact(
        case=case,
        channel=channel,
        direction=direction,
        outcome=outcome,
        summary=summary,
        contacted_at=contacted_at,
        created_by=actor,
    )
    contact.full_clean()
    fields = {}
    # DESIGN.md: the first *outbound* contact that reached the respondent stops the clock.
    reached = direction == Contact.Direction.OUTBOUND and outcome in (Contact.Outcome.REACHED, Contact.Outcome.REPLIED)
    if reached and (case.first_contacted_at is None or contacted_at < case.first_contacted_at):
        # The first contact that reached the respondent stops the first-contact clock.
        fields["first_contacted_at"] = contacted_at
    update_case(case, expected_version, **fields)
    contact.save()
    if contact.summary:
        search.refresh_cases([case.pk])
    record_event(case=case, kind=Event.Kind.CONTACT, actor=actor, when=contacted_at, **(details or {}), contact=contact.pk)
    if reached and case.status == Status.NEW:
        # Reaching the person is starting the work, as in any helpdesk.
        change_status(case=case, to=Status.IN_PROGRESS, actor=actor)
    return contact


@transaction.atomic
def add_note(*, case: Case, actor, text: str, expected_version: int | None = None, when=None) -> Event:
    text = text.strip()
    if not text:
        raise WorkflowError(_("Write something in the note."))
    update_case(case, expected_version)
    return record_event(case=case, kind=Event.Kind.NOTE, actor=actor, when=when, text=text)


@transaction.atomic
def record_action(
    *, case: Case, actor, action_summary: str, tags: list[str], expected_version: int | None = None, when=None
) -> Case:
    """What was done about the feedback, and its root causes: the closing e-mail quotes the first,
    the figures count the second."""
    tag_objects = [Tag.objects.get_or_create(name=name.strip()[:60])[0] for name in tags if name.strip()]
    update_case(case, expected_version, action_summary=action_summary.strip())
    case.tags.set(tag_objects)
    record_event(
        case=case, kind=Event.Kind.ACTION, actor=actor, when=when, summary=case.action_summary, tags=[tag.name for tag in tag_objects]
    )
    return case


@transaction.atomic
def claim_case(*, case: Case, actor, expected_version: int | None = None) -> Case:
    """Take a case of one's own team: the quickest way from the queue to work."""
    if not access.may_claim(actor, case):
        if case.status == Status.CLOSED:
            raise WorkflowError(_("This case is closed."))
        if case.assignee_id == actor.pk:
            raise WorkflowError(_("This case is already yours."))
        raise WorkflowError(_("Only members of team %(team)s can claim its cases.") % {"team": case.team})
    assign_case(case=case, assignee=actor, actor=actor, expected_version=expected_version)
    if case.status == Status.NEW:
        change_status(case=case, to=Status.IN_PROGRESS, actor=actor)
    return case


@transaction.atomic
def share_case(*, case: Case, actor, colleague, expected_version: int | None = None) -> Case:
    """Let a colleague outside the team see and work this one case (e.g. a product expert)."""
    if not access.may_share(actor, case):
        raise WorkflowError(_("Only members of team %(team)s can share its cases.") % {"team": case.team})
    if not colleague.is_active:
        raise WorkflowError(_("%(name)s cannot sign in.") % {"name": colleague})
    if access.works_team(colleague, case.team) or colleague.has_perm("cases.work_case", case):
        raise WorkflowError(_("%(name)s can already see this case.") % {"name": colleague})
    update_case(case, expected_version)
    assign_perm("cases.work_case", colleague, case)
    record_event(case=case, kind=Event.Kind.SHARED, actor=actor, to=colleague.pk)
    return case


@transaction.atomic
def escalate_case(*, case: Case, what: str, now=None) -> Case:
    """Raise an overdue case's priority one step, once, and say so in the timeline."""
    now = now or timezone.now()
    previous = case.priority
    update_case(case, None, priority=min(previous + 1, Priority.URGENT), escalated_at=now)
    record_event(case=case, kind=Event.Kind.ESCALATED, when=now, overdue=what, **{"from": previous, "to": case.priority})
    return case


@transaction.atomic
def add_tag(*, case: Case, actor, name: str, expected_version: int | None = None) -> Case:
    tag, _created = Tag.objects.get_or_create(name=name.strip()[:60])
    update_case(case, expected_version)
    case.tags.add(tag)
    record_event(case=case, kind=Event.Kind.TAGS, actor=actor, tags=list(case.tags.values_list("name", flat=True)))
    return case


@transaction.atomic
def close_for_privacy(*, cases, reason: str, actor=None, when=None) -> int:
    """Closes the open cases among `cases` (a queryset) because the law says so (retention), in bulk
    and whatever the respondent's restriction: unlike a person's change, this one must happen. One
    Event per case, as for any status change."""
    when = when or timezone.now()
    still_open = cases.exclude(status=Status.CLOSED)
    closing = list(still_open.select_for_update().values_list("pk", "status"))
    if not closing:
        return 0
    still_open.update(status=Status.CLOSED, closed_at=when, close_reason=reason, version=F("version") + 1, updated_at=when)
    Event.objects.bulk_create(
        [
            Event(case_id=pk, kind=Event.Kind.STATUS, actor=actor, created_at=when, data={"from": status, "to": Status.CLOSED, "reason": reason})
            for pk, status in closing
        ],
        batch_size=1000,
    )
    return len(closing)
