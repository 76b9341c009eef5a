"""A hostile world for the attack suite: two teams, and every text a user, an administrator or a
survey tool can set filled with markup, quotes, template syntax and formula prefixes, entered the way
it would be in real life (the API, the workflow, the admin's models)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.cases import workflow
from casework.cases.models import Case, Notice
from casework.feedback.models import Source
from casework.feedback.tokens import create_api_token
from casework.feedback.webhook_secrets import create_webhook_secret
from casework.intake.ingestion import ingest
from casework.intake.models import Delivery, Import, ImportProblem, Route, Rule
from casework.integrations.models import WebhookDelivery, WebhookEndpoint
from casework.outreach.models import EmailTemplate, Notification
from casework.outreach.optout import optout_token
from casework.privacy.requestlog import log_request
from casework.teams.membership import add_member
from casework.teams.models import Membership, Team

MARK = "XSSPROBE"
# Breaks out of text, of single- and double-quoted attributes and of a script block; carries an
# element and event attributes a browser would act on, Django and {placeholder} template syntax, and
# a leading "=" that a spreadsheet would run as a formula.
PAYLOAD = f"""={MARK}<xss-probe onmouseover=alert(1)>'"><img src=x onerror=alert(1) data-xss-probe></script><script>alert(1)</script>{{{{7*7}}}}{{first_name}}"""
# Where a field allows no line breaks or '=' first (names, e-mails), the same minus what is refused.
NAME = f"{MARK} <xss-probe onmouseover=alert(1)>'\"><img src=x onerror=alert(1) data-xss-probe>"
EMAIL = '"<xss-probe>XSSPROBE"@example.com'
URL = f"https://app.example.com/{MARK}?q=\"><xss-probe/onmouseover=alert(1)>'onmouseover='alert(1)"
PASSWORD = "a-long-test-password"


@dataclass
class World:
    payroll: Team
    accounting: Team
    users: dict
    case: Case
    source: Source
    token: str
    webhook_source: Source
    webhook_secret: str
    csv_import: Import
    uploaded_import: Import
    notification: Notification
    privacy_request: object
    delivery: Delivery
    webhook_delivery: object = None
    read_token: str = ""

    def user(self, name):
        return self.users[name]


def build_world(django_user_model) -> World:
    def make_user(username, **extra):
        return django_user_model.objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@staff.example.com", **extra
        )

    payroll = Team.objects.create(name=f"Payroll {NAME}", slug="payroll")
    accounting = Team.objects.create(name="Accounting", slug="accounting")
    users = {
        "janis": make_user("janis", first_name=NAME, last_name="Ozols"),
        "maija": make_user("maija", first_name="Maija", last_name=NAME),
        "anna": make_user("anna", first_name="Anna", last_name="Smith"),
        "peter": make_user("peter", first_name="Peter", last_name="Jones"),
        "dace": make_user("dace", first_name="Dace", last_name="Kalniņa"),
        "admin": make_user("admin", is_staff=True, is_superuser=True),
    }
    add_member(team=payroll, user=users["janis"], role=Membership.Role.STAFF)
    add_member(team=payroll, user=users["maija"], role=Membership.Role.MANAGER)
    add_member(team=accounting, user=users["anna"], role=Membership.Role.STAFF)
    add_member(team=accounting, user=users["peter"], role=Membership.Role.MANAGER)
    users["dace"].user_permissions.add(Permission.objects.get(codename="handle_privacy_requests"))

    source = Source.objects.create(name=f"Survey {NAME}", slug="in-app")
    token = create_api_token(source=source, label=NAME)[1]
    webhook_source = Source.objects.create(name="Webhook survey", slug="hooks")
    webhook_secret = create_webhook_secret(source=webhook_source, label=NAME)[1]
    Route.objects.create(product=PAYLOAD[:100], team=payroll)
    Rule.objects.create(name="Everything", position=0, team=payroll, priority=2)

    answered = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    [result] = ingest(source, [{
        "id": PAYLOAD[:200], "metric": "nps", "score": 3, "comment": PAYLOAD, "answered_at": answered,
        "channel": "web", "product": PAYLOAD[:100], "url": URL, "locale": "en",
        "respondent": {"id": PAYLOAD[:200], "email": EMAIL, "name": NAME, "company": NAME, "country": "LV"},
    }])
    assert result.case, result.errors
    case = Case.objects.get(number=int(result.case.removeprefix("CW-")))
    workflow.claim_case(case=case, actor=users["maija"])
    workflow.log_contact(case=case, actor=users["janis"], channel="phone", direction="outbound", outcome="reached", summary=PAYLOAD)
    workflow.add_note(case=case, actor=users["janis"], text=PAYLOAD)
    workflow.record_action(case=case, actor=users["maija"], action_summary=PAYLOAD, tags=[NAME[:60], PAYLOAD[:60]])
    workflow.assign_case(case=case, assignee=users["janis"], actor=users["maija"])
    case.refresh_from_db()
    Notice.objects.create(user=users["maija"], case=case, kind=Notice.Kind.OVERDUE_FIRST_CONTACT)
    Notice.objects.create(user=users["janis"], case=case, kind=Notice.Kind.OVERDUE_FIRST_CONTACT)
    EmailTemplate.objects.create(name=NAME[:100], locale="en", subject=NAME, body=PAYLOAD, team=payroll, is_default=True)
    notification = Notification.objects.create(
        case=case, respondent=case.respondent, recipient=EMAIL, subject=NAME, body=PAYLOAD, status="failed",
        last_error=PAYLOAD, queued_at=timezone.now(), created_by=users["janis"],
    )

    from casework.intake.importing import upload_import

    rows = f"id,metric,score,answered_at,comment,respondent_name\nr-csv,nps,3,{answered},\"{PAYLOAD.replace('"', '""')}\",x\n"
    uploaded_import = upload_import(
        source=source, user=users["maija"], uploaded_file=SimpleUploadedFile(f"{NAME}.csv", rows.encode())
    )
    csv_import = Import.objects.create(source=source, uploaded_by=users["maija"], file_name=f"{NAME}.csv", status="done")
    ImportProblem.objects.create(csv_import=csv_import, row=2, field=PAYLOAD[:100], message=PAYLOAD)
    privacy_request = log_request(respondent=case.respondent, kind="access", actor=users["dace"], note=PAYLOAD)
    delivery = Delivery.objects.create(
        source=webhook_source, delivery_id=PAYLOAD[:200], received_at=timezone.now(), body=PAYLOAD.encode(),
        status="failed", error=PAYLOAD,
    )
    # An outbound webhook endpoint registered after the case's events, and a delivery that failed with
    # hostile text from the receiver.
    endpoint = WebhookEndpoint.objects.create(
        name=NAME[:100], url="https://hooks.example.com/casework", secret="whsec_" + "A" * 44, event_types=["case.opened"],
        owner=users["admin"],
    )
    webhook_delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=case.events.first(), case=case, message_id="msg_attack", event_type="case.opened",
        payload={"data": PAYLOAD}, status="failed", last_error=PAYLOAD, created_at=timezone.now(),
    )
    _read, read_token = create_api_token(scopes=["read"], teams=[payroll], label=NAME[:100])
    return World(
        webhook_delivery=webhook_delivery, read_token=read_token,
        payroll=payroll, accounting=accounting, users=users, case=case, source=source, token=token,
        webhook_source=webhook_source, webhook_secret=webhook_secret, csv_import=csv_import,
        uploaded_import=uploaded_import, notification=notification, privacy_request=privacy_request, delivery=delivery,
    )


def optout_for(world: World) -> str:
    return optout_token(world.case.respondent)
