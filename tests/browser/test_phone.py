"""Work on a phone at 360 px (issue 11, point 4): the filters fold behind a "Filters (N)" button, each case is
a card that fits the screen (nothing cut off, no sideways scrolling), and on the case page the respondent's
comment comes before the forms. At desktop width the filters stay open and the list stays a table."""

import re

import pytest
from playwright.sync_api import Page, expect

from casework.cases import workflow

from .test_workspace import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
LONG = "Payslips take forever to load and the export to our accounting system breaks every single month " * 3

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > width + 1)
    .map((el) => el.tagName + "." + el.className);
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def no_sideways_scrolling(page):
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], found
    assert found["wide"] == [], found


@pytest.fixture
def phone(page: Page):
    page.set_viewport_size(PHONE)
    return page


def test_the_case_list_on_a_phone(live_server, phone, maija, janis, payroll, make_case):
    page = phone
    cases = [make_case(team=payroll, comment=f"{LONG}\nsecond line {n}") for n in range(3)]
    workflow.claim_case(case=cases[0], actor=janis)
    sign_in(page, live_server, "maija")

    toggle = page.locator("summary", has_text="Filters")
    expect(toggle).to_have_text("Filters")
    expect(page.get_by_label("Search")).to_be_hidden()  # folded: the cases come first
    no_sideways_scrolling(page)

    card = page.locator("table.cases tbody tr").filter(has_text=cases[1].reference)
    expect(card.get_by_role("link", name=cases[1].reference)).to_be_visible()
    expect(card.locator(".status")).to_be_visible()
    expect(card.get_by_text(cases[1].respondent.name)).to_be_visible()
    comment = card.locator(".comment-cell")
    expect(comment).to_be_visible()
    assert comment.evaluate("el => el.getBoundingClientRect().height") < 30  # one line of the comment
    expect(card.locator(".due")).to_be_visible()
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    expect(page.locator("table.cases thead")).to_be_hidden()

    toggle.click()
    page.get_by_label("Search").fill("forever")
    page.locator("#id_status").select_option("open")
    expect(toggle).to_have_text("Filters (2)")
    expect(page).to_have_url(re.compile(r"status=open"))
    no_sideways_scrolling(page)

    page.goto(page.url)  # a fresh load of the filtered list counts them as well, folded
    expect(page.locator("summary", has_text="Filters")).to_have_text("Filters (2)")
    expect(page.get_by_label("Search")).to_be_hidden()


def test_the_case_page_on_a_phone_starts_with_the_comment(live_server, phone, janis, payroll, make_case):
    page = phone
    case = make_case(team=payroll, comment=LONG)
    sign_in(page, live_server, "janis")
    page.goto(live_server.url + case.get_absolute_url())
    comment = page.locator("blockquote.comment")
    expect(comment).to_be_visible()
    first_form = page.locator("#case-work form").first
    assert comment.bounding_box()["y"] < first_form.bounding_box()["y"]
    assert comment.bounding_box()["y"] > page.get_by_role("heading", name=case.reference).bounding_box()["y"]
    no_sideways_scrolling(page)

    page.get_by_role("button", name="Claim").click()  # after an htmx swap the order holds
    expect(page.get_by_text("The case is yours.")).to_be_visible()
    assert comment.bounding_box()["y"] < page.locator("#case-work form").first.bounding_box()["y"]


def test_at_desktop_width_filters_are_open_and_the_list_is_a_table(live_server, page: Page, janis, payroll, make_case):
    make_case(team=payroll)
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, live_server, "janis")
    expect(page.get_by_label("Search")).to_be_visible()
    expect(page.locator("summary", has_text="Filters")).to_be_hidden()
    expect(page.locator("table.cases thead")).to_be_visible()
    page.goto(live_server.url + "/cases/?status=open")
    expect(page.get_by_label("Search")).to_be_visible()
