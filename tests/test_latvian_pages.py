"""Every page, in Latvian, says nothing in English that the catalog knows how to say in Latvian (issue 11,
point 13). Walks every URL of the attack suite's table (so a new page is walked the moment it gets its row)
as each role — staff, manager, privacy officer, administrator — plus the pages' other states (filtered lists,
forms with errors, the composer's preview of a Latvian e-mail, the public opt-out page), and fails on any
text that is a msgid of the catalog, or of django-filter's, shown as it is instead of its translation."""

import gettext
import html.parser
import re
from pathlib import Path

import django_filters
import pytest
from django.conf import settings
from django.urls import reverse

from tests.attack.routes import ROUTES
from tests.attack.world import build_world, optout_for

pytestmark = pytest.mark.django_db

ROLES = ("janis", "maija", "dace", "admin")
LATVIAN = {"HTTP_ACCEPT_LANGUAGE": "lv"}
# Texts that read the same in both languages, or are names rather than words.
SAME_IN_BOTH = {"NPS", "CSAT", "CES", "CSV", "JSON", "Casework", "OK", "E-mail"}


def _catalog_pairs():
    """(msgid, translation) of our catalog, and django-filter's msgids (no Latvian of its own: any of
    them on a page must have come through ours)."""
    mo = Path(settings.BASE_DIR) / "locale" / "lv" / "LC_MESSAGES" / "django.mo"
    pairs = []
    for key, value in gettext.GNUTranslations(mo.open("rb"))._catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        pairs.append((msgid.split("\x04")[-1], value))
    po = Path(django_filters.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
    pairs += [(json_unquote(m), None) for m in re.findall(r'^msgid (".+")$', po.read_text(), re.M)]
    return pairs


def json_unquote(quoted):
    import json

    return json.loads(quoted)


def clean(text):
    return " ".join(text.split()).strip(" ·:,;→—–*")


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _patterns():
    patterns = {}
    for msgid, translation in _catalog_pairs():
        text = clean(msgid)
        if not text or text == translation or text in SAME_IN_BOTH or not re.search(r"[A-Za-z]{2}", text):
            continue
        literal = PLACEHOLDER.sub("", text)
        if len(re.findall(r"[A-Za-z]{2,}", literal)) == 0:
            continue
        parts = [re.escape(part) for part in PLACEHOLDER.split(text)]
        body = "(?:.+?)".join(parts)
        # A short text must be the whole of what is shown (a cell, a button, an option); a sentence may
        # sit inside a longer text.
        words = len(text.split())
        patterns[text] = re.compile(rf"(?<![\w-]){body}(?![\w-])" if words >= 3 else rf"^{body}$")
    return patterns


PATTERNS = _patterns()


class _Texts(html.parser.HTMLParser):
    SHOWN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-label"}

    # Elements whose text is not to be translated: a language's own name (lang="en"), a file's column
    # names (translate="no"); void elements never close.
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.texts, self._skip, self._open = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return self._attributes(tag, attrs)
        attributes = dict(attrs)
        untranslated = tag in ("script", "style") or attributes.get("translate") == "no" or attributes.get("lang", "lv") != "lv"
        self._open.append((tag, untranslated))
        self._skip += untranslated
        if not self._skip:
            self._attributes(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in (open_tag for open_tag, _untranslated in self._open):
            return
        while self._open:
            open_tag, untranslated = self._open.pop()
            self._skip -= untranslated
            if open_tag == tag:
                break

    def _attributes(self, tag, attrs):
        if self._skip:
            return
        for name, value in attrs:
            if value and (name in self.SHOWN_ATTRIBUTES or (tag == "input" and name == "value" and dict(attrs).get("type") in ("submit", "button"))):
                self.texts.append(value)

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(data)


def english_left(page: str) -> set[str]:
    parser = _Texts()
    parser.feed(page)
    found = set()
    for raw in parser.texts:
        text = clean(raw)
        if not text:
            continue
        for msgid, pattern in PATTERNS.items():
            if pattern.search(text):
                found.add(f"{msgid!r} in {text[:80]!r}")
    return found


@pytest.fixture
def world(django_user_model):
    return build_world(django_user_model)


def _get_urls(world):
    for name, route in sorted(ROUTES.items()):
        if "GET" in route.methods and route.user and not route.download:
            yield name, reverse(name, kwargs=route.args(world)), route


def test_the_checker_finds_english_left_on_a_page():
    assert english_left("<td>Open cases</td><button>Save</button>") == {"'Open cases' in 'Open cases'", "'Save' in 'Save'"}
    assert english_left('<p title="Any status">x</p><p>Atvērtās lietas · Jānis</p>') == {"'Any status' in 'Any status'"}
    assert english_left("<p>We saved it: Nothing assigned to you is open. Pick one up from All cases. Thanks</p>")


def test_every_staff_page_is_latvian_for_every_role(client, world):
    problems = {}
    for role in ROLES:
        client.force_login(world.user(role))
        for name, url, route in _get_urls(world):
            for headers in ({}, {"HX-Request": "true"}) if route.fragment else ({},):
                response = client.get(url, headers=headers, **LATVIAN)
                if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                    continue
                for problem in english_left(response.text):
                    problems.setdefault(problem, f"{role} {name}")
    assert not problems, "English left on Latvian pages:\n" + "\n".join(f"{where}: {what}" for what, where in sorted(problems.items()))


def test_other_states_of_pages_are_latvian(client, world):
    case = world.case
    pages = []
    client.force_login(world.user("maija"))
    for query in ("status=open&sort=-number&overdue=true", "priority=99", "created_after=0001-01-01"):
        pages.append(("list " + query, client.get(reverse("cases:list") + "?" + query, **LATVIAN)))
    for prefix, name in (("contact", "cases:log-contact"), ("note", "cases:add-note"), ("status", "cases:status")):
        data = {f"{prefix}-version": case.version, f"{prefix}-outcome": "nonsense", f"{prefix}-to": "nonsense"}
        for headers in ({}, {"HX-Request": "true"}):
            pages.append((name, client.post(reverse(name, args=[case.reference]), data, headers=headers, **LATVIAN)))
    case.respondent.locale = "lv"
    case.respondent.save()
    compose = reverse("outreach:compose", args=[case.reference])
    pages.append(("compose", client.get(compose, **LATVIAN)))
    pages.append(("preview", client.post(compose, {"action": "preview", "locale": "lv", "subject": "Paldies", "body": "Labdien!", "version": case.version}, **LATVIAN)))
    client.force_login(world.user("dace"))
    pages.append(("privacy search", client.get(reverse("privacy:home"), {"q": "nobody-at-all"}, **LATVIAN)))
    client.logout()
    pages.append(("login", client.get(reverse("login"), **LATVIAN)))
    pages.append(("opt-out", client.get(reverse("outreach:optout", args=[optout_for(world)]), **LATVIAN)))
    problems = {problem: where for where, response in pages for problem in english_left(response.text)}
    assert not problems, "English left on Latvian pages:\n" + "\n".join(f"{where}: {what}" for what, where in sorted(problems.items()))
