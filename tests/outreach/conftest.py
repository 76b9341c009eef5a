"""A real SMTP server (aiosmtpd) on 127.0.0.1 and a random port, and a resolved Payroll case whose
respondent can be written to."""

import socket

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from casework.cases.models import Case


class Mailbox:
    """Collects what the server accepted; `refuse` makes it answer 451 to that many messages first."""

    def __init__(self):
        self.envelopes = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.envelopes.append(envelope)
        return "250 OK"

    @property
    def messages(self):
        from email import message_from_bytes, policy

        return [message_from_bytes(envelope.original_content, policy=policy.default) for envelope in self.envelopes]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_settings(settings, port):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp_settings(settings, controller.port)
    mailbox.controller = controller
    yield mailbox
    controller.stop()


@pytest.fixture
def resolved_case(make_case, payroll, janis):
    case = make_case(team=payroll, comment="Payslips are slow")
    Case.objects.filter(pk=case.pk).update(status="resolved", resolved_at=timezone.now(), assignee=janis, action_summary="We released a fix.")
    respondent = case.respondent
    respondent.name, respondent.email, respondent.locale = "Anna Bērziņa", "anna@example.com", "lv"
    respondent.save()
    case.refresh_from_db()
    return case
