"""The closing-the-loop outbox. Queuing writes the Notification in the same transaction as the case
change and hands it to a worker only after commit, so a rollback sends nothing. Delivery claims the
row first, so a second worker never sends the same message, and retries with backoff until it gives up."""

import datetime
import email.policy
import logging
import smtplib
from collections.abc import Callable
from email.headerregistry import Address
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.cases import workflow
from casework.cases.lifecycle import CloseReason, Status
from casework.cases.models import Case, Event
from casework.feedback.contact_details import name_problem

from . import replyaddress
from .models import Notification
from .optout import optout_url

logger = logging.getLogger(__name__)
# Each step of the walk from any open status to closed once the closing e-mail is on its way.
TOWARDS_CLOSED = {
    Status.NEW: Status.IN_PROGRESS,
    Status.WAITING: Status.IN_PROGRESS,
    Status.IN_PROGRESS: Status.RESOLVED,
    Status.RESOLVED: Status.CLOSED,
}


class ComposeError(Exception):
    pass


def suppression_reason(respondent) -> str:
    """Why this person must not get the e-mail, or "" when they may."""
    if respondent is None:
        return _("No respondent is known for this case.")
    if respondent.erased_at:
        return _("The respondent's data was erased.")
    if respondent.objected_at:
        return _("The respondent objected to contact.")
    if respondent.restricted_at:
        return _("Processing is restricted for this respondent.")
    if not respondent.email:
        return _("The respondent has no e-mail address.")
    return ""


@transaction.atomic
def queue_closing_notification(
    *,
    case: Case,
    actor,
    subject: str,
    body: str,
    locale: str,
    expected_version: int | None = None,
    require_action_summary: bool = True,
) -> Notification:
    subject, body = subject.strip(), body.strip()
    if not subject or not is_one_line(subject) or len(subject) > 200:
        raise ComposeError(_("The subject must be one line of at most 200 characters."))
    if not body:
        raise ComposeError(_("Write the message."))
    if case.status == Status.CLOSED:
        raise ComposeError(_("This case is closed already."))
    workflow.ensure_may_change(case)  # a restricted person's case takes no e-mail, not even a suppressed one
    if require_action_summary and not case.action_summary.strip():
        # The e-mail exists to say what was done; without it, it would say nothing.
        raise ComposeError(_("Fill in “What we did” on the case first: the e-mail tells the respondent what was done."))
    if expected_version is not None and expected_version != case.version:
        raise workflow.CaseChanged(_("This case was changed by someone else. Reload it and try again."))
    notification = record_notification(case=case, actor=actor, subject=subject, body=body, locale=locale)
    if notification.suppressed_reason:
        return notification
    while case.status != Status.CLOSED:
        step = TOWARDS_CLOSED[case.status]
        workflow.change_status(
            case=case, to=step, actor=actor, reason=CloseReason.NOTIFIED if step == Status.CLOSED else ""
        )
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


# Who carries a notification to a worker. outreach/tasks.py, which depends on this module, registers
# its task here when the app starts (apps.py), so this module never imports the task module back.
_courier: Callable[[int, datetime.datetime | None], None] | None = None


def register_courier(courier: Callable[[int, datetime.datetime | None], None]) -> None:
    global _courier
    _courier = courier


def _enqueue(notification_id: int, run_after: datetime.datetime | None = None) -> None:
    # Without a courier (or one that cannot defer) the outbox sweep `send_due` still delivers it.
    if _courier is not None:
        _courier(notification_id, run_after)


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "casework.local"


def deliver(notification_id: int, *, now: datetime.datetime | None = None) -> str:
    """Sends one queued notification if nobody else is; returns what became of it."""
    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, status=Notification.Status.QUEUED)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + datetime.timedelta(seconds=settings.CASEWORK_DELIVERY_LEASE_SECONDS), attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.select_related("case", "respondent", "created_by").get(pk=notification_id)
    # The person may have objected since the message was queued.
    reason = suppression_reason(notification.respondent)
    if reason:
        return _finish(notification, Notification.Status.SUPPRESSED, suppressed_reason=reason)
    try:
        message = build_message(notification)
    except (ValueError, UnicodeError) as error:
        # Nothing a retry can mend (an address or header the mail library refuses): fail visibly.
        return _finish(notification, Notification.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:1000])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        return _failed_attempt(notification, error, now)
    except (ValueError, UnicodeError) as error:
        return _finish(notification, Notification.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:1000])
    return _finish(notification, Notification.Status.SENT, sent_at=timezone.now(), last_error="")


def _failed_attempt(notification: Notification, error: Exception, now) -> str:
    message = f"{type(error).__name__}: {error}"[:1000]
    if notification.attempts >= settings.CASEWORK_DELIVERY_ATTEMPTS:
        return _finish(notification, Notification.Status.FAILED, last_error=message)
    # 1, 2, 4, 8 … minutes (by default) between attempts.
    retry_at = now + datetime.timedelta(seconds=settings.CASEWORK_RETRY_SECONDS * 2 ** (notification.attempts - 1))
    Notification.objects.filter(pk=notification.pk).update(last_error=message, next_attempt_at=retry_at, claimed_until=None)
    _enqueue(notification.pk, run_after=retry_at)
    return "retry"


def _finish(notification: Notification, status: str, **fields) -> str:
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk).update(status=status, claimed_until=None, next_attempt_at=None, **fields)
        workflow.record_event(
            case=notification.case, kind=Event.Kind.NOTIFICATION, notification=notification.pk, status=status
        )
    return status


def send_due(*, now: datetime.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Delivers every queued notification whose time has come: retries, and any whose task was lost."""
    now = now or timezone.now()
    due = Notification.objects.filter(status=Notification.Status.QUEUED, next_attempt_at__lte=now).order_by("next_attempt_at")
    outcome: dict[str, int] = {}
    for notification_id in list(due.values_list("pk", flat=True)[:limit]):
        try:
            result = deliver(notification_id, now=now)
        except Exception:
            # One broken row must not hold up everyone else's e-mail; the log has the details.
            logger.exception("Delivering notification %s failed", notification_id)
            result = "error"
        outcome[result] = outcome.get(result, 0) + 1
    return outcome


def retry(notification: Notification) -> None:
    """A person asked to try a failed notification again."""
    updated = Notification.objects.filter(pk=notification.pk, status=Notification.Status.FAILED).update(
        status=Notification.Status.QUEUED, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
    )
    if updated:
        transaction.on_commit(lambda: _enqueue(notification.pk))


def render_closing(notification: Notification) -> tuple[str, str]:
    """(text, html) of the message exactly as the respondent gets it — footer included, in their
    language. The composer's preview shows this too, so what is previewed is what is sent."""
    respondent = notification.respondent
    link = optout_url(respondent) if respondent is not None and respondent.pk else ""
    with translation.override(notification.locale or settings.LANGUAGE_CODE):
        context = {"notification": notification, "optout_url": link}
        # The text part is plain text, not HTML: render_to_string marks what it returns as safe HTML,
        # which would let a page showing it (the composer's preview) pass the body through unescaped.
        text = str.__str__(render_to_string("outreach/email/closing.txt", context))
        html = render_to_string("outreach/email/closing.html", context)
    return text, html


def build_message(notification: Notification) -> EmailMultiAlternatives:
    respondent = notification.respondent
    link = optout_url(respondent)
    text, html = render_closing(notification)
    # Address() quotes and encodes the name; names cannot carry CR/LF past intake, and Django refuses
    # any header with a newline besides.
    recipient = str(Address(display_name=_one_line(respondent.name), addr_spec=respondent.email))
    headers = {
        "Message-ID": notification.message_id,
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    staff = notification.created_by
    reply_address = replyaddress.reply_address(notification.pk)
    if reply_address:
        # Replies come back to the case (replies.py); so do bounces, as the envelope sender is the same
        # address, while the From: header stays the company's.
        reply_to = [str(Address(display_name=_one_line(staff.get_full_name()) if staff else "", addr_spec=reply_address))]
        headers["From"] = settings.DEFAULT_FROM_EMAIL
        envelope_sender = reply_address
    else:
        # Without a reply domain, replies go to the person who wrote the e-mail, as before.
        reply_to = [str(Address(display_name=_one_line(staff.get_full_name()), addr_spec=staff.email))] if staff and staff.email else None
        envelope_sender = None
    message = RespondentEmail(
        subject=notification.subject, body=text, to=[recipient], headers=headers, reply_to=reply_to, from_email=envelope_sender
    )
    message.attach_alternative(html, "text/html")
    return message


class RespondentEmail(EmailMultiAlternatives):
    """Mail clients find the one-click opt-out only as a literal `<https://…>` in List-Unsubscribe
    (RFC 2369, RFC 8058). Python's default policy folds at 78 characters and turns a longer unbroken
    URL into an RFC 2047 encoded word, which no client reads; RFC 5322 allows 998, so allow that."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def _one_line(name: str) -> str:
    """Names are checked at intake and in the admin, but a header is no place to find out otherwise:
    a name that is still not plain text is left out, and the address alone is used."""
    name = " ".join(name.split())
    return "" if name_problem(name) else name


def is_one_line(text: str) -> bool:
    """No line break of any kind (str.splitlines knows \\v, \\f, \\x85, \\u2028 …) and no control character."""
    return len(text.splitlines()) <= 1 and not any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in text)


def record_notification(*, case: Case, actor, subject: str, body: str, locale: str) -> Notification:
    """The outbox row and its timeline line for one e-mail to the case's respondent: queued, or suppressed
    (with no address kept) when the person may not be written to. Callers check first whether the e-mail
    may be written at all."""
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
    return notification
