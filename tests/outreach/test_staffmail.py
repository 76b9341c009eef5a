"""E-mail to staff: assignments and the managers' overdue digest — links, never comments."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casework.cases import workflow
from casework.cases.models import Case
from casework.outreach.staffmail import send_assignment_emails, send_overdue_digests
from casework.teams.models import StaffPreference

pytestmark = pytest.mark.django_db
SECRET = "My salary slip shows the wrong IBAN"


@pytest.fixture
def emails(janis, maija):
    for user in (janis, maija):
        user.email = f"{user.username}@casework.example"
        user.save()


def test_an_assignee_hears_about_a_new_case_once_without_the_comment(smtp, emails, make_case, payroll, janis, maija):
    case = make_case(team=payroll, comment=SECRET)
    workflow.assign_case(case=case, assignee=janis, actor=maija)
    assert send_assignment_emails() == 1
    assert send_assignment_emails() == 0
    [message] = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == ["janis@casework.example"]
    assert case.reference in message["Subject"]
    text = message.get_content()
    assert case.get_absolute_url() in text and SECRET not in text and "Maija Liepiņa" in text


def test_claiming_yourself_or_opting_out_sends_nothing(smtp, emails, make_case, payroll, janis, maija):
    workflow.claim_case(case=make_case(team=payroll), actor=janis)
    StaffPreference.objects.create(user=janis, email_on_assignment=False)
    workflow.assign_case(case=make_case(team=payroll), assignee=janis, actor=maija)
    assert send_assignment_emails() == 0 and smtp.envelopes == []


def test_managers_get_one_overdue_digest_a_day(smtp, emails, make_case, payroll, maija, anna, accounting):
    late = make_case(team=payroll, comment=SECRET)
    Case.objects.filter(pk=late.pk).update(first_contact_due_at=timezone.now() - datetime.timedelta(hours=3))
    other_team = make_case(team=accounting, product="Accounting")
    Case.objects.filter(pk=other_team.pk).update(first_contact_due_at=timezone.now() - datetime.timedelta(hours=3))
    call_command("send_staff_mail", "--digest")
    assert send_overdue_digests() == 0
    [message] = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == ["maija@casework.example"]
    text = message.get_content()
    assert late.reference in text and other_team.reference not in text and SECRET not in text


def test_preferences_page(client, janis):
    client.force_login(janis)
    assert client.get(reverse("teams:preferences")).status_code == 200
    client.post(reverse("teams:preferences"), {"overdue_digest": "on"})
    preference = StaffPreference.objects.get(user=janis)
    assert not preference.email_on_assignment and preference.overdue_digest
