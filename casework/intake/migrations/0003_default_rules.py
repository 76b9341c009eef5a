"""The rules Casework ships with (issue "Intake"): alarming words on any score, detractors, CSAT 1–2
and CES 1–3. They route by product; administrators edit or switch them off in the admin."""

from django.db import migrations

KEYWORDS = (
    "cancel, cancelling, refund, lawyer, lawsuit, terrible, unacceptable, scam, "
    "atcelt, atcelšu, atmaksa, atmaksu, jurists, juristu, briesmīgi, briesmīgs, nepieņemami"
)

DEFAULT_RULES = [
    {"name": "Alarming words", "position": 10, "keywords": KEYWORDS, "priority": 4,
     "first_contact_hours": 4, "resolution_hours": 72},
    {"name": "NPS strong detractors", "position": 20, "metric": "nps", "score_min": 0, "score_max": 3,
     "priority": 3, "first_contact_hours": 24, "resolution_hours": 120},
    {"name": "NPS detractors", "position": 30, "metric": "nps", "score_min": 4, "score_max": 6,
     "priority": 2, "first_contact_hours": 48, "resolution_hours": 240},
    {"name": "CSAT negative", "position": 40, "metric": "csat", "score_min": 1, "score_max": 2,
     "priority": 2, "first_contact_hours": 48, "resolution_hours": 240},
    {"name": "CES negative", "position": 50, "metric": "ces", "score_min": 1, "score_max": 3,
     "priority": 2, "first_contact_hours": 48, "resolution_hours": 240},
]


def create_rules(apps, schema_editor):
    Rule = apps.get_model("intake", "Rule")
    for rule in DEFAULT_RULES:
        Rule.objects.get_or_create(name=rule["name"], defaults=rule)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_initial")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
