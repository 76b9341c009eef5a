"""A person signs in, finds a case, reads it, switches language and signs out, in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def console_errors(page: Page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_sign_in_open_a_case_switch_language_sign_out(live_server, page: Page, console_errors, janis, payroll, make_case):
    case = make_case(team=payroll, comment="Payslips <b>take</b> forever")
    page.goto(live_server.url + "/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/cases/"))

    page.get_by_label("Username").fill("janis")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="All cases")).to_be_visible()

    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name=case.reference)).to_be_visible()
    expect(page.locator("blockquote.comment")).to_have_text("Payslips <b>take</b> forever")

    page.get_by_label("Language").select_option("lv")
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    expect(page.get_by_role("heading", name="Laika līnija")).to_be_visible()

    page.get_by_role("button", name="Iziet").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert console_errors == [], "the page reported errors (a blocked script or style counts)"


def test_the_case_list_filters_without_reloading(live_server, page: Page, console_errors, janis, payroll, make_case):
    from casework.cases import workflow

    waiting = make_case(team=payroll)
    workflow.change_status(case=waiting, to="in_progress", actor=janis)
    other = make_case(team=payroll)
    page.goto(live_server.url + "/accounts/login/?next=/cases/")
    page.get_by_label("Username").fill("janis")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=other.reference)).to_be_visible()

    page.get_by_label("Status").select_option("in_progress")
    expect(page.get_by_role("link", name=other.reference)).to_have_count(0)
    expect(page.get_by_role("link", name=waiting.reference)).to_be_visible()
    expect(page).to_have_url(re.compile(r"status=in_progress"))

    page.go_back()
    expect(page.get_by_role("link", name=other.reference)).to_be_visible()
    expect(page.get_by_role("heading", name="All cases")).to_have_count(1)
    page.go_forward()
    expect(page.get_by_role("link", name=other.reference)).to_have_count(0)
    assert console_errors == []


def test_the_layout_fits_a_phone(live_server, page: Page, janis, payroll, make_case):
    case = make_case(team=payroll)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("janis")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for path in ("/cases/", case.get_absolute_url()):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px screen"
    columns = page.evaluate("getComputedStyle(document.querySelector('.case-layout')).gridTemplateColumns")
    assert len(columns.split()) == 1, f"the case page should be one column on a phone, not {columns}"
