"""A privacy officer's day in a real browser: open requests, find a person without diacritics,
export, restrict (a staff member's case page then refuses a change), erase."""

import json

import pytest
from playwright.sync_api import Page, expect

from casework.feedback.models import Respondent
from casework.privacy import requestlog
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username, landing):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=landing)).to_be_visible()


def test_the_privacy_officers_day(live_server, page: Page, browser, dace, janis, payroll, make_case):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    case = make_case(team=payroll, comment="Payslips are slow")
    Respondent.objects.filter(pk=case.respondent_id).update(name="Anna Bērziņa", email="anna.berzina@example.com")
    Respondent.objects.get(pk=case.respondent_id).save()  # the searchable form follows the new name
    requestlog.log_request(respondent=case.respondent, kind="erasure", actor=dace)

    sign_in(page, live_server, "dace", "Privacy requests")
    open_requests = page.locator("section", has=page.get_by_role("heading", name="Open requests"))
    expect(open_requests.get_by_role("row", name="Erasure")).to_contain_text("due in")

    page.get_by_label("Find a respondent").fill("berzina")
    page.get_by_role("button", name="Find").click()
    found = page.locator("section", has=page.get_by_role("heading", name="Respondents found"))
    found.get_by_role("link", name="Anna Bērziņa").click()
    expect(page.get_by_role("heading", name="Respondent: Anna Bērziņa")).to_be_visible()
    expect(page.get_by_text("Payslips are slow")).to_be_visible()

    page.get_by_text("Access or portability: export everything held").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export (JSON)").click()
    document = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert document["respondent"]["email"] == "anna.berzina@example.com" and document["responses"][0]["comment"] == "Payslips are slow"

    page.get_by_text("Restriction: freeze processing").click()
    page.get_by_role("button", name="Restrict processing").click()
    expect(page.get_by_text("Processing is restricted: the person's cases are frozen.")).to_be_visible()

    staff = browser.new_context().new_page()
    sign_in(staff, live_server, "janis", "My cases")
    staff.goto(live_server.url + case.get_absolute_url())
    expect(staff.get_by_text("this case is frozen")).to_be_visible()
    staff.get_by_text("Add a note").click()
    staff.get_by_label("Note").fill("Called her again")
    staff.get_by_role("button", name="Add note").click()
    expect(staff.get_by_role("alert")).to_contain_text("restricted processing")
    expect(staff.locator("#timeline")).not_to_contain_text("Called her again")

    page.get_by_text("Erasure: remove the personal data").click()
    page.get_by_label("Type the person's e-mail address").fill("anna.berzina@example.com")
    page.get_by_role("button", name="Erase the personal data").click()
    expect(page.get_by_text("The person's data is erased.")).to_be_visible()
    expect(page.get_by_text("Payslips are slow")).to_have_count(0)
    expect(page.get_by_text("anna.berzina@example.com")).to_have_count(0)
    page.get_by_role("link", name="Privacy requests").first.click()
    expect(page.get_by_text("No open requests.")).to_be_visible()  # the erasure request was answered
    assert errors == []
