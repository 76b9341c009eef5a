"""A later message about a case's feedback ("you said, we did"): the fix arrived after the case was
worked, perhaps after it was closed. Unlike the closing e-mail it does not walk the case to closed —
an open case stays open for whoever works it; only a resolved one may close, since this message is
the one it was waiting for. The text itself says what was done, so no action summary is required."""

from django.db import transaction
from django.utils.translation import gettext as _

from casework.cases import workflow
from casework.cases.lifecycle import CloseReason, Status
from casework.cases.models import Case

from .models import Notification
from .sending import ComposeError, _enqueue, is_one_line, record_notification


@transaction.atomic
def queue_follow_up(*, case: Case, actor, subject: str, body: str, locale: str, close_if_resolved: bool = False) -> Notification:
    subject, body = subject.strip(), body.strip()
    if not subject or not is_one_line(subject) or len(subject) > 200:
        raise ComposeError(_("The subject must be one line of at most 200 characters."))
    if not body:
        raise ComposeError(_("Write the message."))
    workflow.ensure_may_change(case)
    notification = record_notification(case=case, actor=actor, subject=subject, body=body, locale=locale)
    if notification.suppressed_reason:
        return notification
    if close_if_resolved and case.status == Status.RESOLVED:
        workflow.change_status(case=case, to=Status.CLOSED, actor=actor, reason=CloseReason.NOTIFIED)
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification
