"""Respondents' replies land on their case. `receive_email` takes one raw message, from
`manage.py receive_email` (an MTA's pipe) or `POST /api/v1/inbound-email` (a mail service), and:

- finds the case by the signed reply address the e-mail was sent with (replyaddress.py); a message
  without one is refused as unmatched, one whose signature is wrong as forged, and both are logged
  without their content;
- a delivery status notification that reports a permanent failure marks the notification bounced;
- any other automatic reply (out of office, Auto-Submitted …) goes on the timeline and changes nothing;
- a reply becomes an inbound e-mail Contact ("replied") with the person's own words and an Event, the
  assignee (else the team's managers) gets a notice, and a closed, resolved or waiting case goes back
  to in progress — unless the reply is only thanks (replytext.is_only_thanks), which stays on the
  timeline of a case that stays as it is;
- a reply from a person who objected or was erased keeps no personal data: a contact without text.
Nothing is stored from a person whose processing is restricted: their cases are frozen."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from casework.cases import workflow
from casework.cases.lifecycle import Status
from casework.cases.models import Case, Contact, Event, Notice
from casework.feedback.contact_details import email_key
from casework.feedback.models import Suppression
from casework.feedback.respondents import email_fingerprint
from casework.teams.models import Membership

from . import mailreading, replyaddress, replytext
from .models import Notification

logger = logging.getLogger(__name__)
REOPENED_BY_REPLY = (Status.CLOSED, Status.RESOLVED, Status.WAITING)


@dataclass(frozen=True)
class Received:
    outcome: str  # reply, thanks, withheld, frozen, auto_reply, bounced, duplicate | unmatched, forged | bad_message
    detail: str = ""

    @property
    def accepted(self) -> bool:
        return self.outcome not in ("unmatched", "forged", "bad_message")

    @property
    def refused_as(self) -> str:
        """"" when accepted; "unknown_recipient" (no such case, or forged) or "bad_message" otherwise."""
        if self.accepted:
            return ""
        return "bad_message" if self.outcome == "bad_message" else "unknown_recipient"


def receive_email(raw: bytes, *, recipient: str = "", via: str) -> Received:
    if len(raw) > settings.CASEWORK_INBOUND_MAX_BYTES:
        return _refuse("bad_message", f"The message is larger than {settings.CASEWORK_INBOUND_MAX_BYTES} bytes.", via)
    try:
        inbound = mailreading.parse(raw)
    except mailreading.BadMessage as error:
        return _refuse("bad_message", str(error), via)
    notification, refused = _notification_for(inbound, recipient)
    if notification is None:
        return _refuse(*refused, via)
    digest = salted_hmac("casework.outreach.inbound", inbound.message_id or raw.decode("latin-1"), algorithm="sha256").hexdigest()[:32]
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("respondent").get(pk=notification.case_id)
        if Event.objects.filter(case=case, data__message=digest).exists():
            received = Received("duplicate", "This message was received before.")
        elif inbound.bounce is not None:
            received = _bounce(case, notification, inbound.bounce, digest)
        elif inbound.auto_reply:
            workflow.record_event(case=case, kind=Event.Kind.AUTO_REPLY, message=digest, why=inbound.auto_reply)
            received = Received("auto_reply", f"An automatic reply ({inbound.auto_reply}): logged, nothing changed.")
        else:
            received = _reply(case, notification, inbound, digest)
    logger.info("Inbound e-mail via %s: %s on %s", via, received.outcome, case.reference)
    return received


def _refuse(outcome: str, detail: str, via: str) -> Received:
    # Only why: never the sender, the subject or any of the text.
    logger.warning("Inbound e-mail via %s refused (%s): %s", via, outcome, detail)
    return Received(outcome, detail)


def _notification_for(inbound, recipient: str) -> tuple[Notification | None, tuple[str, str]]:
    candidates = ([recipient] if recipient else []) + inbound.recipients
    if inbound.bounce is not None:
        # A bounce may reach us by another way than the envelope sender: the returned original's
        # Reply-To still names the case.
        for original in mailreading.original_headers(inbound.message):
            candidates += mailreading.addresses(original, ("Reply-To", "Return-Path", "From"))
    ours = [address for address in candidates if replyaddress.looks_like_reply_address(address)]
    if not ours:
        return None, ("unmatched", "No Casework reply address among the recipients.")
    for address in ours:
        notification_id = replyaddress.notification_id_for(address)
        if notification_id is not None:
            notification = Notification.objects.filter(pk=notification_id).first()
            if notification is not None:
                return notification, ("", "")
            return None, ("unmatched", "The reply address names an e-mail that no longer exists.")
    return None, ("forged", "The reply address's signature does not match: it was not made by Casework.")


def _bounce(case, notification: Notification, bounce, digest: str) -> Received:
    if not bounce.failed:
        workflow.record_event(case=case, kind=Event.Kind.AUTO_REPLY, message=digest, why="delivery status notification")
        return Received("auto_reply", "A delivery report without a permanent failure: logged, nothing changed.")
    now = timezone.now()
    reason = " ".join(filter(None, [bounce.status, bounce.diagnostic]))[:1000]
    # Only a sent e-mail can come back; a second report about one already bounced changes nothing.
    bounced = Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENT).update(
        status=Notification.Status.BOUNCED, bounced_at=now, last_error=reason, next_attempt_at=None, claimed_until=None
    )
    if not bounced:
        workflow.record_event(case=case, kind=Event.Kind.AUTO_REPLY, message=digest, why="delivery status notification")
        return Received("auto_reply", "A bounce for an e-mail that is not marked sent: logged, nothing changed.")
    workflow.record_event(
        case=case, kind=Event.Kind.NOTIFICATION, when=now, notification=notification.pk, status=Notification.Status.BOUNCED, message=digest
    )
    _notify(case, Notice.Kind.BOUNCED)
    return Received("bounced", "The e-mail bounced: the notification is marked bounced.")


def _reply(case, notification: Notification, inbound, digest: str) -> Received:
    respondent = case.respondent
    if respondent is not None and respondent.restricted_at:
        return Received("frozen", "The respondent restricted processing: nothing was stored on the case.")
    if _withheld(case, inbound):
        workflow.log_contact(
            case=case, actor=None, channel=Contact.Channel.EMAIL, direction=Contact.Direction.INBOUND,
            outcome=Contact.Outcome.REPLIED, details={"message": digest, "withheld": True},
        )
        _notify(case, Notice.Kind.REPLIED)
        return Received("withheld", "The respondent objected or was erased: the reply was logged without its text.")
    text, cut = replytext.reply_text(inbound.message, limit=settings.CASEWORK_REPLY_MAX_CHARS)
    staff = notification.created_by
    names = [respondent.name if respondent else "", staff.get_full_name() if staff else ""]
    thanks = replytext.is_only_thanks(text, names=names)
    reopen = not thanks and case.status in REOPENED_BY_REPLY
    details = {"message": digest, "thanks": thanks, **({"cut": True} if cut else {})}
    if respondent is not None and respondent.email_key and email_key(inbound.sender) != respondent.email_key:
        # Anyone the e-mail was forwarded to can reply too: staff should know it was not the respondent's
        # own address (which one is not kept).
        details["other_sender"] = True
    if reopen and case.status == Status.CLOSED and _another_open_case(case):
        # Not named: that case may belong to another team.
        reopen, details["stays_closed"] = False, "another_open_case"
    workflow.log_contact(
        case=case, actor=None, channel=Contact.Channel.EMAIL, direction=Contact.Direction.INBOUND,
        outcome=Contact.Outcome.REPLIED, summary=text, details=details,
    )
    _notify(case, Notice.Kind.REPLIED)
    if reopen:
        workflow.change_status(case=case, to=Status.IN_PROGRESS)
        return Received("reply", "The reply is on the case, which is in progress again.")
    return Received("thanks" if thanks else "reply", "The reply is on the case.")


def _withheld(case, inbound) -> bool:
    """The person objected or was erased (or their data aged out): keep that they replied, not what
    they wrote. The sender's address is checked against erased people's fingerprints as intake does."""
    respondent = case.respondent
    if case.anonymised_at or respondent is None or respondent.objected_at or respondent.erased_at:
        return True
    return bool(inbound.sender) and Suppression.objects.filter(digest=email_fingerprint(inbound.sender)).exists()


def _another_open_case(case) -> bool:
    # One open case per person and product (a database constraint): reopening would break it.
    return Case.objects.filter(respondent_id=case.respondent_id, product=case.product).exclude(status=Status.CLOSED).exclude(pk=case.pk).exists()


def _notify(case, kind: str) -> None:
    """A notice to whoever holds the case, else to the team's managers."""
    if case.assignee_id:
        people = [case.assignee_id]
    else:
        people = list(Membership.objects.filter(team_id=case.team_id, role=Membership.Role.MANAGER).values_list("user_id", flat=True))
    Notice.objects.bulk_create([Notice(user_id=user_id, case=case, kind=kind) for user_id in people])
