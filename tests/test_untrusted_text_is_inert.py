"""Text from respondents and survey tools is escaped, and in addition sits inside an `hx-disable`
container on every page that shows it (issue 8, point 10): even a markup mistake could not give it
htmx powers."""

from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.cases import workflow
from casework.cases.models import Case
from casework.intake.importing import upload_import
from casework.outreach.models import Notification

pytestmark = pytest.mark.django_db
MARK = "ZQX"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class MarkFinder(HTMLParser):
    """Records, for each text node holding MARK, whether an open element carries hx-disable."""

    def __init__(self):
        super().__init__()
        self.stack, self.found = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, any(name == "hx-disable" for name, _value in attrs)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if MARK in data and not any(tag in ("textarea", "title", "option") for tag, _d in self.stack):
            self.found.append((data.strip()[:60], any(disabled for _tag, disabled in self.stack)))


def unguarded(html: str) -> list[str]:
    finder = MarkFinder()
    finder.feed(html)
    assert finder.found, "the page should show the respondent's text"
    return [text for text, guarded in finder.found if not guarded]


@pytest.fixture
def marked_case(make_case, payroll, janis, maija, source):
    case = make_case(team=payroll, comment=f"{MARK} <b hx-get='/admin/'>bold</b>")
    person = case.respondent
    person.name, person.company = f"{MARK} Name", f"{MARK} SIA"
    person.save()
    Case.objects.filter(pk=case.pk).update(status="in_progress", assignee=maija)
    case.refresh_from_db()
    workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="reached", summary=f"{MARK} said")
    workflow.add_note(case=case, actor=janis, text=f"{MARK} note")
    Notification.objects.create(
        case=case, respondent=person, recipient=person.email, subject=f"{MARK} subject", body="b", status="failed",
        last_error=f"{MARK} 550", queued_at=timezone.now(),
    )
    return case


def test_case_pages_and_lists(client, maija, marked_case):
    client.force_login(maija)
    for url in ("/", "/cases/", "/teams/payroll/", f"/cases/{marked_case.reference}/", f"/cases/{marked_case.reference}/compose/", "/outbox/failed/"):
        assert unguarded(client.get(url).content.decode()) == [], url


def test_the_composer_preview(client, maija, marked_case):
    client.force_login(maija)
    response = client.post(
        f"/cases/{marked_case.reference}/compose/",
        {"action": "preview", "locale": "en", "subject": f"{MARK} s", "body": f"{MARK} body", "version": marked_case.version},
    )
    assert unguarded(response.content.decode()) == []


def test_the_import_preview_and_problems(client, maija, source):
    upload = SimpleUploadedFile("a.csv", f"id,metric,score,answered_at,comment\nr-1,nps,3,2026-11-20T10:00:00Z,{MARK} hi\n".encode())
    csv_import = upload_import(source=source, user=maija, uploaded_file=upload)
    client.force_login(maija)
    assert unguarded(client.get(f"/import/{csv_import.pk}/").content.decode()) == []


def test_the_privacy_desk(client, dace, marked_case):
    from casework.privacy.requestlog import log_request

    log_request(respondent=marked_case.respondent, kind="access", actor=dace, note=f"{MARK} phoned")
    client.force_login(dace)
    for url in ("/privacy/?q=Name", "/privacy/", "/privacy/requests/", f"/privacy/respondents/{marked_case.respondent_id}/"):
        assert unguarded(client.get(url).content.decode()) == [], url
