"""E-mail to staff: a note when a case is assigned to them, and managers' daily digest of overdue
cases. Both carry case numbers and links only, never the respondent's comment: e-mail travels and
is kept in places Casework's access rules do not reach."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from casework.cases.access import teams_user_manages, visible_cases
from casework.cases.models import Event, first_contact_overdue_q, resolution_overdue_q
from casework.teams.models import StaffPreference

from .models import StaffEmail

RECENT = datetime.timedelta(days=2)


def _wants(user, field) -> bool:
    preference = StaffPreference.objects.filter(user=user).first()
    return getattr(preference, field) if preference else True


def _send(user, subject_template, body_template, context) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    EmailMessage(subject=subject, body=body, to=[user.email]).send()


def send_assignment_emails(*, now=None) -> int:
    """One e-mail per assignment Event of the last two days that has not had one yet."""
    now = now or timezone.now()
    users = {user.pk: user for user in get_user_model().objects.filter(is_active=True).exclude(email="")}
    # Events before people were recorded by id named them by username.
    users.update({user.username: user for user in users.values()})
    events = (
        Event.objects.filter(kind=Event.Kind.ASSIGNED, created_at__gte=now - RECENT)
        .exclude(pk__in=StaffEmail.objects.filter(kind=StaffEmail.Kind.ASSIGNMENT).values("event"))
        .select_related("case", "case__team", "actor")
    )
    sent = 0
    for event in events:
        user = users.get(event.data.get("to"))
        # Someone who took the case themselves needs no e-mail about it.
        if user is None or event.actor_id == user.pk or not _wants(user, "email_on_assignment"):
            continue
        if not _claim(kind=StaffEmail.Kind.ASSIGNMENT, user=user, event=event):
            continue
        _send(user, "outreach/email/assignment_subject.txt", "outreach/email/assignment.txt", {
            "case": event.case, "by": event.actor, "url": settings.CASEWORK_BASE_URL + event.case.get_absolute_url(),
        })
        sent += 1
    return sent


def send_overdue_digests(*, now=None) -> int:
    """Each manager's overdue cases, once a day."""
    now = now or timezone.now()
    sent = 0
    managers = get_user_model().objects.filter(memberships__role="manager", is_active=True).exclude(email="").distinct()
    for manager in managers:
        if not _wants(manager, "overdue_digest"):
            continue
        overdue = list(
            visible_cases(manager)
            .workable()
            .filter(team__in=teams_user_manages(manager))
            .filter(first_contact_overdue_q(now) | resolution_overdue_q(now))
            .select_related("team", "assignee")
            .order_by("-priority", "first_contact_due_at")[:200]
        )
        if not overdue or not _claim(kind=StaffEmail.Kind.DIGEST, user=manager, day=timezone.localdate(now)):
            continue
        _send(manager, "outreach/email/digest_subject.txt", "outreach/email/digest.txt", {
            "cases": overdue, "base_url": settings.CASEWORK_BASE_URL, "now": now,
        })
        sent += 1
    return sent


def _claim(**fields) -> bool:
    """Records the e-mail before sending; a second worker's insert fails, so it never goes twice."""
    try:
        with transaction.atomic():
            StaffEmail.objects.create(**fields)
    except IntegrityError:
        return False
    return True


