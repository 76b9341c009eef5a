""""You said, we did": who is concerned, who may be e-mailed, one message each through the outbox,
never twice."""

import uuid

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case, Event, Tag
from casework.insights import announcing
from casework.insights.models import Announcement
from casework.insights.scope import scope_for
from casework.outreach import sending
from casework.outreach.models import Notification
from tests.outreach.conftest import Mailbox, free_port, smtp_settings

from .conftest import PERIOD, at

pytestmark = pytest.mark.django_db
SUBJECT = "You told us about {product}"
BODY = "Hi {first_name},\n\nyou said payslips were slow. We fixed it on Monday.\n\n{staff_name}"


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp_settings(settings, controller.port)
    yield mailbox
    controller.stop()


@pytest.fixture
def slow():
    return Tag.objects.create(name="slow payslips")


@pytest.fixture
def people(payroll, accounting, case_at, slow, maija):
    """Cases tagged 'slow payslips', one for each reason someone is or is not e-mailed."""

    def tagged(name, team=payroll, opened=None, **person):
        case = case_at(team=team, tags=[slow], opened=opened)
        respondent = case.respondent
        respondent.name = name
        for field, value in person.items():
            setattr(respondent, field, value)
        respondent.save()
        case.refresh_from_db()
        return case

    now = timezone.now()
    cases = {
        "anna": tagged("Anna Bērziņa"),
        "olga": tagged("Olga Ozola"),
        "objected": tagged("Objected", objected_at=now),
        "restricted": tagged("Restricted", restricted_at=now),
        "erased": tagged("", erased_at=now, email=""),
        "no_address": tagged("No Address", email=""),
        "told": tagged("Told Before"),
        "other_team": tagged("Other Team", team=accounting),
        "too_early": tagged("Too Early", opened=at(1, month=10)),
    }
    Case.objects.filter(pk=cases["anna"].pk).update(status="resolved", resolved_at=now)
    Case.objects.filter(pk=cases["olga"].pk).update(status="in_progress")
    # Anna complained twice: she is one person and gets one message, about her latest case.
    older = case_at(team=payroll, tags=[slow], opened=at(4), respondent=None)
    Case.objects.filter(pk=older.pk).update(respondent=cases["anna"].respondent, status="closed", closed_at=now, product="Other")
    earlier_run, _created = announcing.send(
        scope=scope_for(maija), actor=maija, token=uuid.uuid4(), tag=slow, period=PERIOD, product="", subject="Earlier",
        body="Earlier news", locale="en", close_resolved=False,
    )
    # That earlier run told everyone then eligible; keep only "told" as told before.
    earlier_run.recipients.exclude(case=cases["told"]).delete()
    Notification.objects.exclude(pk__in=earlier_run.recipients.values("notification")).delete()
    Notification.objects.update(status="sent", sent_at=now, next_attempt_at=None)
    for case in cases.values():
        case.refresh_from_db()
    return cases


def test_counts_leave_out_who_may_not_be_told(maija, slow, people):
    audience = announcing.audience(scope_for(maija), tag=slow, period=PERIOD)
    assert audience.counts == {"concerned": 7, "eligible": 2}
    assert {case.respondent.name for case in audience.eligible} == {"Anna Bērziņa", "Olga Ozola"}
    anna = next(case for case in audience.concerned if case.respondent.name == "Anna Bērziņa")
    assert anna == people["anna"]  # her latest case
    assert announcing.audience(scope_for(maija), tag=slow, period=PERIOD, product="Accounting").counts == {"concerned": 0, "eligible": 0}


def test_a_real_smtp_server_receives_one_message_per_eligible_person(smtp, maija, slow, people):
    run, created = announcing.send(
        scope=scope_for(maija), actor=maija, token=uuid.uuid4(), tag=slow, period=PERIOD, product="", subject=SUBJECT, body=BODY,
        locale="en", close_resolved=True,
    )
    assert created and (run.concerned, run.queued, run.suppressed) == (7, 2, 0)
    assert sending.send_due() == {"sent": 2}
    messages = {message["To"].addresses[0].addr_spec: message for message in smtp.messages}
    anna = people["anna"].respondent
    assert set(messages) == {anna.email, people["olga"].respondent.email}
    assert messages[anna.email]["Subject"] == "You told us about Payroll"
    assert "Hi Anna," in messages[anna.email].get_body(("plain",)).get_content()
    assert messages[anna.email]["List-Unsubscribe"]
    assert announcing.outcome(run)["sent"] == 2
    # Each case told has its notification and event; the resolved one closed, the one in progress stays.
    for key in ("anna", "olga"):
        case = Case.objects.get(pk=people[key].pk)
        assert Event.objects.filter(case=case, kind="notification", actor=maija).exists()
    assert Case.objects.get(pk=people["anna"].pk).status == "closed"
    assert Case.objects.get(pk=people["olga"].pk).status == "in_progress"
    assert not Notification.objects.filter(case__in=[people["objected"], people["restricted"], people["other_team"]]).exists()


def test_a_failed_delivery_shows_in_the_run(smtp, settings, maija, slow, people):
    settings.CASEWORK_DELIVERY_ATTEMPTS = 1
    smtp.refuse = 1
    run, _created = announcing.send(
        scope=scope_for(maija), actor=maija, token=uuid.uuid4(), tag=slow, period=PERIOD, product="", subject=SUBJECT, body=BODY,
        locale="en", close_resolved=False,
    )
    sending.send_due()
    outcome = announcing.outcome(run)
    assert (outcome["sent"], outcome["failed"], outcome["queued"]) == (1, 1, 0)


def test_the_page_previews_confirms_and_never_sends_twice(client, maija, slow, people):
    client.force_login(maija)
    form = {
        "tag": slow.pk, "first_day": "2025-11-03", "last_day": "2025-11-16", "product": "", "locale": "en",
        "subject": SUBJECT, "body": BODY, "close_resolved": "on",
    }
    page = client.post(reverse("insights:announce"), {**form, "action": "preview"}).text
    assert "7 people concerned; 2 may be e-mailed." in page and "Send to 2 people" in page
    assert "Hi Anna," in page or "Hi Olga," in page
    assert Notification.objects.count() == 1  # only the earlier run's
    token = page.split('name="token" value="')[1].split('"')[0]
    first = client.post(reverse("insights:announce"), {**form, "action": "send", "token": token}, follow=True)
    assert "2 e-mails queued." in first.text
    again = client.post(reverse("insights:announce"), {**form, "action": "send", "token": token}, follow=True)
    assert "sent already" in again.text
    assert Announcement.objects.count() == 2 and Notification.objects.count() == 3


def test_placeholders_are_checked(client, maija, slow, people):
    client.force_login(maija)
    answer = client.post(
        reverse("insights:announce"),
        {"tag": slow.pk, "first_day": "2025-11-03", "last_day": "2025-11-16", "locale": "en", "subject": "Hi {password}", "body": "x", "action": "preview"},
    )
    assert answer.status_code == 400 and "Unknown placeholders: {password}" in answer.text


def test_only_managers_of_the_cases_team_and_administrators(client, janis, make_user, accounting, slow, people):
    from casework.teams.membership import add_member

    client.force_login(janis)
    assert client.get(reverse("insights:announce")).status_code == 403
    peter = make_user("peter")
    add_member(team=accounting, user=peter, role="manager")
    client.force_login(peter)
    answer = client.post(
        reverse("insights:announce"),
        {"tag": slow.pk, "first_day": "2025-11-03", "last_day": "2025-11-16", "locale": "en", "subject": "s", "body": "b", "action": "preview"},
    )
    # Peter sees the tag (his team has a case with it) but only his own team's person.
    assert "1 people concerned; 1 may be e-mailed." in answer.text
