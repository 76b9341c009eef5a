"""A later message about a case's feedback ("you said, we did"): the fix arrived after the case was
worked, perhaps after it was closed. Unlike the closing e-mail it does not walk the case to closed —
an open case stays open for whoever works it; only a resolved one may close, since this message is
the one it was waiting for. The text itself says what was done, so no action summary is required."""

from email.utils import make_msgid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases import workflow
from casework.cases.lifecycle import CloseReason, Status
from casework.cases.models import Case, Event

from .models import Notification
from .sending import ComposeError, _enqueue, _mail_domain, is_one_line, suppression_reason


@transaction.atomic
def queue_follow_up(*, case: Case, actor, subject: str, body: str, locale: str, close_if_resolved: bool = False) -> Notification:
    subject, body = subject.strip(), body.strip()
    if not subject or not is_one_line(subject) or len(subject) > 200:
        raise ComposeError(_("The subject must be one line of at most 200 characters."))
    if not body:
        raise ComposeError(_("Write the message."))
    workflow.ensure_may_change(case)
    now = timezone.now()
    reason = suppression_reason(case.respondent)
    notification = Notification.objects.create(
        case=case,
        respondent=case.respondent,
        recipient=case.respondent.email if case.respondent and not reason else "",
        locale=locale,
        subject=subject,
        body=body,
        status=Notification.Status.SUPPRESSED if reason else Notification.Status.QUEUED,
        suppressed_reason=reason,
        message_id=make_msgid(domain=_mail_domain()),
        created_by=actor,
        queued_at=now,
        next_attempt_at=None if reason else now,
    )
    workflow.record_event(
        case=case, kind=Event.Kind.NOTIFICATION, actor=actor, notification=notification.pk, status=notification.status
    )
    if reason:
        return notification
    if close_if_resolved and case.status == Status.RESOLVED:
        workflow.change_status(case=case, to=Status.CLOSED, actor=actor, reason=CloseReason.NOTIFIED)
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification
