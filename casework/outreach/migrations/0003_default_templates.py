"""The closing e-mails Casework ships with, in English and Latvian (DESIGN.md, "The closing e-mail")."""

from django.db import migrations

TEMPLATES = [
    {
        "name": "We acted on your feedback",
        "locale": "en",
        "subject": "You told us about {product} — here is what we did",
        "body": (
            "Hi {first_name},\n\n"
            "Recently you told us what you thought of {product}. Thank you — that helped.\n"
            "{action_summary}\n\n"
            "If anything still isn't right, just reply to this e-mail.\n\n"
            "{staff_name}, {company_name}"
        ),
    },
    {
        "name": "We acted on your feedback",
        "locale": "lv",
        "subject": "Jūs mums pastāstījāt par {product} — lūk, ko mēs izdarījām",
        "body": (
            "Labdien, {first_name}!\n\n"
            "Nesen jūs mums pastāstījāt, ko domājat par {product}. Paldies — tas mums palīdzēja.\n"
            "{action_summary}\n\n"
            "Ja kaut kas joprojām nav kārtībā, vienkārši atbildiet uz šo e-pastu.\n\n"
            "{staff_name}, {company_name}"
        ),
    },
]


def create_templates(apps, schema_editor):
    EmailTemplate = apps.get_model("outreach", "EmailTemplate")
    for template in TEMPLATES:
        EmailTemplate.objects.get_or_create(name=template["name"], locale=template["locale"], defaults=template)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0002_email_templates_and_outbox")]

    operations = [migrations.RunPython(create_templates, migrations.RunPython.noop)]
