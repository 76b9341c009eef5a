"""The shipped closing e-mails say what the person told us and when, and are signed by a person and a
team (DESIGN.md, "The closing e-mail"); they become the default for their language. Templates an
administrator has edited are left as they are."""

from django.db import migrations

OLD_BODIES = {
    "en": (
        "Hi {first_name},\n\n"
        "Recently you told us what you thought of {product}. Thank you — that helped.\n"
        "{action_summary}\n\n"
        "If anything still isn't right, just reply to this e-mail.\n\n"
        "{staff_name}, {company_name}"
    ),
    "lv": (
        "Labdien, {first_name}!\n\n"
        "Nesen jūs mums pastāstījāt, ko domājat par {product}. Paldies — tas mums palīdzēja.\n"
        "{action_summary}\n\n"
        "Ja kaut kas joprojām nav kārtībā, vienkārši atbildiet uz šo e-pastu.\n\n"
        "{staff_name}, {company_name}"
    ),
}
NEW = {
    "en": {
        "subject": "You told us about {product} — here is what we did",
        "body": (
            "Hi {first_name},\n\n"
            "On {answered_on} you told us about {product}: “{comment_excerpt}”. Thank you — that helped.\n\n"
            "{action_summary}\n\n"
            "If anything still isn't right, just reply to this e-mail.\n\n"
            "{staff_name}, {team_name} · {company_name}"
        ),
    },
    "lv": {
        "subject": "Jūs mums pastāstījāt par {product} — lūk, ko mēs izdarījām",
        "body": (
            "Labdien, {first_name}!\n\n"
            "{answered_on} jūs mums rakstījāt par {product}: “{comment_excerpt}”. Paldies — tas mums palīdzēja.\n\n"
            "{action_summary}\n\n"
            "Ja kaut kas joprojām nav kārtībā, vienkārši atbildiet uz šo e-pastu.\n\n"
            "{staff_name}, {team_name} · {company_name}"
        ),
    },
}
NAME = "We acted on your feedback"


def update_shipped(apps, schema_editor):
    EmailTemplate = apps.get_model("outreach", "EmailTemplate")
    for locale, text in NEW.items():
        template = EmailTemplate.objects.filter(name=NAME, locale=locale).first()
        if template is None:
            template = EmailTemplate.objects.create(name=NAME, locale=locale, **text)
        elif template.body == OLD_BODIES[locale]:
            template.subject, template.body = text["subject"], text["body"]
            template.save(update_fields=["subject", "body"])
        if not EmailTemplate.objects.filter(locale=locale, is_default=True, team__isnull=True).exists():
            EmailTemplate.objects.filter(pk=template.pk).update(is_default=True)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0005_template_defaults_per_language_and_team")]

    operations = [migrations.RunPython(update_shipped, migrations.RunPython.noop)]
