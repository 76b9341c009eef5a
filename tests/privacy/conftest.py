"""A respondent with data in every table, made through the real paths (API, CSV upload, the case
page's services, the outbox), and a second one who must come out of everything untouched."""

import datetime
import json
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casework.cases import workflow
from casework.cases.models import Case
from casework.feedback.models import Respondent
from casework.feedback.tokens import create_api_token
from casework.intake import importing
from casework.intake.models import Import, Route
from casework.outreach import sending
from casework.privacy import requestlog
from casework.scheduling.models import ScheduledJob
from tests.intake.conftest import default_rules  # noqa: F401 - a fixture used below

API = "/api/v1/responses"
HEADER = "id,metric,score,comment,answered_at,channel,product,url,locale,respondent_id,respondent_email,respondent_name,respondent_company,respondent_country"


@dataclass
class Person:
    respondent: Respondent
    email: str
    name: str
    user_id: str
    company: str
    texts: list[str] = field(default_factory=list)  # comments, URLs and what staff wrote

    @property
    def needles(self) -> list[str]:
        plain = self.name.replace("ē", "e").replace("ņ", "n").replace("Bērziņš", "Berzins")
        return [self.email, self.name, plain, self.user_id, self.company, *self.texts]


def answered(minutes_ago=30):
    return (timezone.now() - datetime.timedelta(minutes=minutes_ago)).isoformat()


@pytest.fixture
def routes(payroll, accounting, default_rules):  # noqa: F811
    Route.objects.create(product="Payroll", team=payroll)
    Route.objects.create(product="Accounting", team=accounting)


@pytest.fixture
def api(client, source):
    token = create_api_token(source=source, label="tests")[1]

    def post(*items):
        response = client.post(API, json.dumps({"responses": list(items)}), content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text
        return response.json()["results"]

    return post


def api_item(number, *, email, name, user_id, company, comment, url="", product="Payroll", score=3):
    return {
        "id": f"r-{number}", "metric": "nps", "score": score, "comment": comment, "answered_at": answered(number),
        "channel": "web", "product": product, "url": url, "locale": "lv",
        "respondent": {"id": user_id, "email": email, "name": name, "company": company, "country": "LV"},
    }


def import_csv(source, user, rows):
    text = "\n".join([HEADER, *rows]) + "\n"
    upload = SimpleUploadedFile("answers.csv", text.encode(), content_type="text/csv")
    csv_import = importing.upload_import(source=source, user=user, uploaded_file=upload)
    Import.objects.filter(pk=csv_import.pk).update(status=Import.Status.QUEUED)
    importing.run_import(csv_import.pk)
    return csv_import


@pytest.fixture
def make_person(api, source, routes, janis, maija, django_capture_on_commit_callbacks):
    def make(tag, *, email, name, company, user_id, number, everywhere=True) -> Person:
        comment = f"{tag}: payslips are slow, call me"
        url = f"https://app.example.com/payroll?who={tag}"
        [result] = api(api_item(number, email=email, name=name, user_id=user_id, company=company, comment=comment, url=url))
        respondent = Respondent.objects.get(email=email)
        person = Person(respondent, email, name, user_id, company, [comment, url])
        if not everywhere:
            return person
        csv_comment = f"{tag} via CSV: the invoice layout is odd"
        import_csv(source, maija, [
            f'{tag}-c1,nps,2,"{csv_comment}",{answered(90)},email,Accounting,,lv,{user_id},{email},"{name}",{company},LV',
            f'{tag}-c2,nps,eleven,"refused row of {tag}",{answered(91)},email,Accounting,,lv,{user_id},{email},"{name}",{company},LV',
        ])
        person.texts.append(csv_comment)
        # The same user id with another address: a conflict staff see on the case, with that address.
        other = f"{tag}.other@example.net"
        api(api_item(number + 50, email=other, name=name, user_id=user_id, company=company, comment="again"))
        person.texts.append(other)
        payroll_case, accounting_case = Case.objects.filter(respondent=respondent).order_by("number")
        _work_case(payroll_case, janis, tag, person, sent=True, capture=django_capture_on_commit_callbacks)
        _work_case(accounting_case, maija, tag, person, sent=False, capture=django_capture_on_commit_callbacks)
        content_type = ContentType.objects.get_for_model(Respondent)
        LogEntry.objects.create(
            user=maija, content_type=content_type, object_id=str(respondent.pk), object_repr=str(respondent)[:200],
            action_flag=CHANGE, change_message=f"Changed company of {name}",
        )
        DBTaskResult.objects.create(
            status="FAILED", args_kwargs={"args": [email], "kwargs": {}}, priority=0, task_path="x.y", queue_name="default",
            backend_name="default", run_after=timezone.now(), exception_class_path="smtplib.SMTPRecipientsRefused",
            traceback=f"SMTPRecipientsRefused: {{'{email}': (550, 'no such user')}}", finished_at=timezone.now(),
        )
        ScheduledJob.objects.update_or_create(
            name=f"job-{tag}", defaults={"schedule": "* * * * *", "next_run_at": timezone.now(), "last_error": f"ValueError: bad address {email}"}
        )
        requestlog.log_request(respondent=respondent, kind="access", actor=maija, note=f"{name} phoned about {company}")
        return person

    return make


def _work_case(case, user, tag, person, *, sent, capture):
    from casework.teams.membership import add_member

    if not case.team.memberships.filter(user=user).exists():
        add_member(team=case.team, user=user, role="staff")
    contact = f"Called {person.name} at {person.company}, {tag} agreed"
    note = f"{person.name} prefers phone ({tag})"
    action = f"Fixed the export for {person.email}"
    workflow.claim_case(case=case, actor=user)  # claiming a new case starts it
    workflow.log_contact(case=case, actor=user, channel="phone", direction="outbound", outcome="reached", summary=contact)
    workflow.add_note(case=case, actor=user, text=note)
    workflow.record_action(case=case, actor=user, action_summary=action, tags=["slow payslips"])
    Case.objects.filter(pk=case.pk).update(outcome=f"{tag} happy again")
    case.refresh_from_db()
    subject = f"{person.name.split()[0]}, we fixed it ({tag})"
    with capture(execute=sent):
        sending.queue_closing_notification(case=case, actor=user, subject=subject, body=f"Hi {person.name}, thanks. {tag}", locale="lv")
    person.texts += [contact, note, action, subject, f"{tag} happy again"]


@pytest.fixture
def anna(make_person):
    return make_person("annab", email="anna.berzina@example.com", name="Anna Bērziņa", company="Bērziņš un Partneri SIA", user_id="u-anna-77", number=100)


@pytest.fixture
def bob(make_person):
    return make_person("bobk", email="bob.kalnins@example.org", name="Bob Kalniņš", company="Kalniņš Build", user_id="u-bob-12", number=200)


def every_value():
    """(table, column, text) for every column of every table, read with plain SQL."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "ignore")
                    if isinstance(value, dict | list):
                        value = json.dumps(value)
                    if isinstance(value, str) and value:
                        yield table, column, value


def traces_of(needles: list[str]) -> list[tuple[str, str, str]]:
    """Where any of `needles` (as written, or as JSON escapes it) still appears."""
    forms = set()
    for needle in needles:
        forms.add(needle.casefold())
        forms.add(json.dumps(needle)[1:-1].casefold())
    found = []
    for table, column, text in every_value():
        lowered = text.casefold()
        for form in forms:
            if form and form in lowered:
                found.append((table, column, form))
    return found


def figures_on(client, user, url="/dashboard/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    main = response.text.split("<main", 1)[1]
    return re.findall(r"-?\d+(?:[.,]\d+)?", re.sub(r"<[^>]+>", " ", main))
