"""A manager opens the dashboard, narrows the period, and follows a number to the cases behind it."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from casework.cases.models import Case

from .test_no_console_errors import WATCH
from .test_workspace import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_change_the_period_and_follow_a_number_to_its_cases(live_server, page: Page, maija, payroll, make_case):
    problems = []
    page.add_init_script(WATCH)
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    recent = make_case(team=payroll, comment="Payslips are slow")
    older = make_case(team=payroll, comment="Invoice layout is odd")
    now = timezone.now()
    Case.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(days=2))
    Case.objects.filter(pk=older.pk).update(created_at=now - datetime.timedelta(days=20))
    sign_in(page, live_server, "maija")

    page.get_by_role("link", name="Dashboard").click()
    opened = page.locator("section.figure", has_text="Cases opened").locator(".figure-value")
    expect(opened).to_have_text("2")  # the last 30 days, by default
    expect(page.locator(".chart-svg").first).to_be_visible()

    page.get_by_label("Period").select_option("7d")
    expect(opened).to_have_text("1")
    expect(page).to_have_url(re.compile(r"period=7d"))

    page.get_by_text("Show as table").first.click()
    expect(page.locator("details.chart-table[open] table").first).to_be_visible()

    opened.get_by_role("link").click()
    expect(page.get_by_role("heading", name="All cases")).to_be_visible()
    expect(page.locator("#results .count")).to_have_text(re.compile(r"^\s*1 case\b"))
    expect(page.get_by_role("link", name=recent.reference)).to_be_visible()
    expect(page.get_by_role("link", name=older.reference)).to_have_count(0)

    page.go_back()
    expect(opened).to_have_text("1")
    assert problems + page.evaluate("window.__problems") == []
