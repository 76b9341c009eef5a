"""What every answer must carry, and what hostile text must not become."""

import csv
import io
import re
from html.parser import HTMLParser

from .world import MARK

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
CSP_MUST = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")


def security_header_problems(response) -> list[str]:
    problems = [f"{name}: {response.get(name)!r}" for name, value in SECURITY_HEADERS.items() if response.get(name) != value]
    policy = response.get("Content-Security-Policy", "")
    problems += [f"Content-Security-Policy lacks {part}" for part in CSP_MUST if part not in policy]
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append("Content-Security-Policy allows unsafe-inline/unsafe-eval")
    return problems


def assert_secure(response, what: str) -> None:
    problems = security_header_problems(response)
    assert not problems, f"{what} ({response.status_code}) lacks security headers: {problems}"


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class ActiveMarkup(HTMLParser):
    """Collects what a browser would act on that came from hostile text: the probe element, event
    handler attributes, javascript: links, and script blocks holding the mark."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.seen_mark, self.in_script = [], False, False

    def handle_starttag(self, tag, attrs):
        if tag == "xss-probe":
            self.found.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on") or name == "data-xss-probe":
                self.found.append(f"{name}= on <{tag}>")
            if name in ("href", "src", "action", "formaction", "hx-get", "hx-post") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{name}=javascript: on <{tag}>")
            if MARK in (value or ""):
                self.seen_mark = True
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if MARK in data:
            self.seen_mark = True
            if self.in_script:
                self.found.append("the text inside a <script> block")


def active_markup(html: str) -> tuple[list[str], bool]:
    parser = ActiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found, parser.seen_mark


FORMULA = re.compile(r"^[=+\-@\t\r]")


def formula_cells(text: str) -> list[str]:
    """CSV cells a spreadsheet would run as a formula (CSV injection)."""
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if MARK in cell and FORMULA.match(cell)]
