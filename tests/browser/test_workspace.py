"""A staff member works a case in a real browser: filter, open, claim, log a contact, wait and resume."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/?next=/cases/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="All cases")).to_be_visible()


def test_work_a_case_from_the_list_to_waiting_and_back(live_server, page: Page, janis, payroll, make_case):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    other = make_case(team=payroll, comment="Invoice layout is odd")
    case = make_case(team=payroll, comment="Payslips take <b>forever</b>")
    sign_in(page, live_server, "janis")

    page.get_by_label("Search").fill("forever")
    expect(page.get_by_role("link", name=other.reference)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=forever"))
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name=case.reference)).to_be_visible()
    url = page.url

    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("The case is yours.")).to_be_visible()
    expect(page).to_have_url(url)  # swapped in place, no reload
    expect(page.locator("h1 .status")).to_have_text("In progress")  # claiming starts the work

    page.get_by_label("Outcome").select_option("reached")
    page.get_by_label("Summary").fill("Called Anna, the fix ships on Friday")
    page.get_by_role("button", name="Log contact").click()
    expect(page.get_by_text("Contact logged.")).to_be_visible()

    page.get_by_label("Move to").select_option("waiting")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("h1 .status")).to_have_text("Waiting")
    page.get_by_label("Move to").select_option("in_progress")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("h1 .status")).to_have_text("In progress")

    timeline = page.locator("#timeline li")
    expect(timeline).to_have_count(6)  # opened, assigned, in progress, contact, waiting, in progress
    texts = timeline.all_inner_texts()
    assert "Case opened" in texts[0]
    assert any("Assigned" in text and "→ Jānis Ozols" in text for text in texts)
    assert any("Contact logged" in text and "Called Anna, the fix ships on Friday" in text for text in texts)
    assert [text.split("Status changed")[1].strip().split("\n")[0] for text in texts if "Status changed" in text] == [
        "by Jānis Ozols New → In progress",
        "by Jānis Ozols In progress → Waiting",
        "by Jānis Ozols Waiting → In progress",
    ]
    expect(page.locator("blockquote.comment")).to_have_text("Payslips take <b>forever</b>")
    assert errors == []


def test_a_stale_page_is_told_to_reload(live_server, page: Page, janis, payroll, make_case):
    from casework.cases import workflow

    case = make_case(team=payroll)
    sign_in(page, live_server, "janis")
    page.goto(live_server.url + case.get_absolute_url())
    workflow.add_note(case=case, actor=janis, text="written elsewhere meanwhile")
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("This case was changed by someone else. Reload it and try again.")).to_be_visible()
    expect(page.get_by_text("written elsewhere meanwhile")).to_be_visible()
