"""Administrators' templates: only the safe placeholders, filled by plain substitution."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.outreach.models import EmailTemplate
from casework.outreach.templating import render, values_for

pytestmark = pytest.mark.django_db


def test_the_shipped_templates_exist_in_english_and_latvian():
    assert set(EmailTemplate.objects.values_list("locale", flat=True)) >= {"en", "lv"}
    for template in EmailTemplate.objects.all():
        template.full_clean()


@pytest.mark.parametrize("text", ["Hi {email}", "{case.respondent.email}", "{{ settings.SECRET_KEY }}", "{first_name.__class__}"])
def test_unknown_placeholders_are_refused_when_saved(text):
    template = EmailTemplate(name="X", locale="en", subject="Hello", body=text)
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "Unknown placeholders" in str(refused.value)


def test_the_admin_refuses_an_unknown_placeholder(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:outreach_emailtemplate_add"),
        {"name": "Sneaky", "locale": "en", "subject": "Hi {first_name}", "body": "Your address: {respondent.email}", "is_active": "on"},
    )
    assert response.status_code == 200 and "Unknown placeholders: {respondent.email}" in response.text
    assert not EmailTemplate.objects.filter(name="Sneaky").exists()


def test_rendering_fills_only_the_placeholders(make_case, payroll, janis):
    case = make_case(team=payroll)
    case.action_summary = "We fixed the export."
    values = values_for(case, janis)
    text = render("Hi {first_name}, about {product}: {action_summary} — {staff_name}, {company_name}. {other}", values)
    assert text == f"Hi {case.respondent.name.split()[0]}, about Payroll: We fixed the export. — Jānis Ozols, Casework demo. {{other}}"
