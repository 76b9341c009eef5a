"""The main flows, walked in Chromium, leave no console error and no Content-Security-Policy violation
behind — after full page loads and after htmx swaps alike (issue 11, point 12)."""

import pytest
from playwright.sync_api import Page, expect

from .test_workspace import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WATCH = """
window.__problems = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__problems.push("CSP " + event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page: Page):
    problems = []
    page.add_init_script(WATCH)
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def collect():
        try:
            problems.extend(page.evaluate("window.__problems || []"))
        except Exception:  # noqa: BLE001 - a page in the middle of navigating has nothing to report yet
            pass
        return problems

    page.collect_problems = collect
    return page


def test_the_main_flows_leave_no_console_error_or_csp_violation(live_server, watched, maija, janis, payroll, make_case, source, shipped_templates, settings):
    page = watched
    settings.CASEWORK_BASE_URL = live_server.url
    case = make_case(team=payroll, comment="Payslips take forever")
    make_case(team=payroll, comment="Invoice layout")
    sign_in(page, live_server, "maija")

    # Lists: filters, search, sort, pagination links, team queue.
    page.get_by_label("Search").fill("forever")
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    page.locator("#id_status").select_option("open")
    page.get_by_role("link", name="Case", exact=True).first.click()
    page.goto(live_server.url + "/teams/payroll/")
    page.goto(live_server.url + "/")
    problems = page.collect_problems()

    # Every case action.
    page.goto(live_server.url + case.get_absolute_url())
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("The case is yours.")).to_be_visible()
    page.get_by_label("Outcome").select_option("reached")
    page.get_by_role("button", name="Log contact").click()
    expect(page.get_by_text("Contact logged.")).to_be_visible()
    page.get_by_text("Add a note", exact=True).click()
    page.get_by_label("Note", exact=True).fill("Called back")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    page.get_by_role("textbox", name="What we did").fill("Fixed the slow payslips")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_label("Assign to").select_option(str(janis.pk))
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("Assigned.")).to_be_visible()
    page.get_by_label("Move to").select_option("resolved")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator("h1 .status")).to_have_text("Resolved")

    # The composer: preview, then send.
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".email-preview")).to_be_visible()
    page.get_by_role("button", name="Send and close the case").click()
    expect(page.locator("h1 .status")).to_have_text("Closed")
    problems += page.collect_problems()

    # Bulk action from the list.
    page.goto(live_server.url + "/cases/?status=open")
    page.locator("input[name=cases]").first.check()
    page.get_by_placeholder("Tag").fill("billing")
    page.get_by_role("button", name="Add tag").click()
    expect(page.get_by_text("1 case changed.")).to_be_visible()
    problems += page.collect_problems()

    # Import: upload, preview, start, watch the progress.
    page.goto(live_server.url + "/import/")
    page.set_input_files("input[type=file]", files=[{"name": "a.csv", "mimeType": "text/csv", "buffer": b"id,metric,score,answered_at\nr-9,nps,9,2026-11-20T10:00:00Z\n"}])
    page.get_by_label("Source").select_option(str(source.pk))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Import all rows").click()
    expect(page.get_by_text("Done")).to_be_visible()
    problems += page.collect_problems()

    # The language switch, and a page in Latvian.
    page.goto(live_server.url + "/cases/")
    page.locator("select[name=language]").select_option("lv")
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    problems += page.collect_problems()
    assert problems == []
