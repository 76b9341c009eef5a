"""Compose, preview and send the closing e-mail in a real browser; the timeline shows it sent."""

import pytest
from playwright.sync_api import Page, expect

from tests.outreach.conftest import Mailbox, free_port, smtp_settings

from .test_workspace import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_smtp(settings):
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp_settings(settings, controller.port)
    yield mailbox
    controller.stop()


def test_compose_preview_send(live_server, page: Page, live_smtp, janis, payroll, make_case, settings, shipped_templates):
    from django.utils import timezone

    from casework.cases.models import Case
    from casework.outreach.templating import day_in_words

    settings.CASEWORK_BASE_URL = live_server.url
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(status="resolved", resolved_at=timezone.now(), action_summary="We released a fix.")
    respondent = case.respondent
    respondent.name, respondent.email, respondent.locale = "Anna Bērziņa", "anna@example.com", "en"
    respondent.save()

    sign_in(page, live_server, "janis")
    page.goto(live_server.url + case.get_absolute_url())
    body = page.get_by_label("Message")
    expect(body).to_have_value(
        f"Hi Anna,\n\nOn {day_in_words(case.response.answered_at, 'en')} you told us about Payroll: “Too slow”. Thank you — that helped."
        "\n\nWe released a fix.\n\nIf anything still isn't right, just reply to this e-mail.\n\nJānis Ozols, Payroll · Casework demo"
    )
    body.fill("Hi Anna,\n\nPayslips now open in under a second. Thank you for telling us.\n\nJānis")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".email-preview")).to_contain_text("Payslips now open in under a second.")

    page.get_by_role("button", name="Send and close the case").click()
    expect(page.get_by_text("The closing e-mail is on its way.")).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("Closed")
    notification_lines = page.locator("#timeline li.event-notification")
    expect(notification_lines.last).to_contain_text("Sent")
    assert len(live_smtp.envelopes) == 1
    assert "Payslips now open in under a second." in live_smtp.messages[0].get_body(preferencelist=("plain",)).get_content()
