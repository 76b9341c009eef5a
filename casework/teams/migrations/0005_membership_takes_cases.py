from django.db import migrations, models


def managers_oversee(apps, schema_editor):
    """Managers were handed cases by round-robin only because nothing said otherwise: from now on
    they take cases when flagged, so existing managers start unflagged (staff keep taking cases)."""
    Membership = apps.get_model("teams", "Membership")
    Membership.objects.filter(role="manager").update(takes_cases=False)


class Migration(migrations.Migration):

    dependencies = [
        ("teams", "0004_grant_membership_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="takes_cases",
            field=models.BooleanField(
                default=True,
                help_text="Only members who take cases and are not away are given new cases automatically.",
                verbose_name="takes cases",
            ),
        ),
        migrations.RunPython(managers_oversee, migrations.RunPython.noop),
    ]
