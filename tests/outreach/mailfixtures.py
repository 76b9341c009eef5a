"""Real-shaped inbound messages (tests/outreach/mail/*.eml) made to answer a notification: the
placeholders become its reply address and Message-ID, as the respondent's mail client would write them."""

from pathlib import Path

from casework.outreach import replyaddress, sending
from casework.outreach.models import Notification

MAIL = Path(__file__).resolve().parent / "mail"
DOMAIN = "reply.casework.example"
SUBJECT = "Jūs mums rakstījāt par Payroll"
BODY = "Labdien, Anna!\n\nWe released a fix.\n\nJānis Ozols"


def load(name: str, notification: Notification) -> bytes:
    text = (MAIL / name).read_text(encoding="utf-8")
    text = text.replace("@@REPLY_ADDRESS@@", replyaddress.reply_address(notification.pk))
    text = text.replace("@@MESSAGE_ID@@", notification.message_id).replace("@@REPLY_DOMAIN@@", DOMAIN)
    return text.encode("utf-8")


def queue_and_send(case, actor, capture) -> Notification:
    with capture(execute=True):
        notification = sending.queue_closing_notification(case=case, actor=actor, subject=SUBJECT, body=BODY, locale="lv")
    notification.refresh_from_db()
    assert notification.status == "sent"
    return notification
