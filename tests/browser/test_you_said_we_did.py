"""A manager tells everyone who complained about a fixed root cause: pick, preview, confirm, see the run.
(A second submit of the same confirmation is tested in tests/insights/test_announce.py.)"""

import pytest
from playwright.sync_api import Page, expect

from casework.cases.models import Tag
from casework.outreach.models import Notification

from .test_workspace import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_pick_a_tag_preview_and_send(live_server, page: Page, maija, payroll, make_case):
    slow = Tag.objects.create(name="slow payslips")
    for _ in range(2):
        make_case(team=payroll, comment="Payslips are slow").tags.add(slow)
    sign_in(page, live_server, "maija")
    page.goto(live_server.url + "/dashboard/you-said-we-did/")
    page.get_by_label("Root-cause tag").select_option(label="slow payslips")
    page.get_by_label("Subject").fill("You told us about {product}")
    page.get_by_label("Message").fill("Hi {first_name},\n\npayslips now open in under a second.\n\n{staff_name}")
    page.get_by_role("button", name="Count and preview").click()
    expect(page.locator("#audience-counts")).to_have_text("2 people concerned; 2 may be e-mailed.")
    expect(page.locator(".email-body")).to_contain_text("payslips now open in under a second")
    page.get_by_role("button", name="Send to 2 people").click()
    expect(page.get_by_text("2 e-mails queued.")).to_be_visible()
    expect(page.locator("#runs tbody tr")).to_have_count(1)
    expect(page.locator("#runs tbody tr td").nth(2)).to_have_text("slow payslips")
    assert Notification.objects.count() == 2
