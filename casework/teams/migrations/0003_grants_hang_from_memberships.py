import django.db.models.deletion
from django.db import migrations, models


def link_grants_to_memberships(apps, schema_editor):
    """Each grant gets the membership it was made for; a grant whose membership is gone (the drift this
    migration ends) or whose role no longer allows it is deleted."""
    Grant = apps.get_model("teams", "TeamUserObjectPermission")
    Membership = apps.get_model("teams", "Membership")
    memberships = {(m.team_id, m.user_id): m for m in Membership.objects.all()}
    for grant in Grant.objects.select_related("permission"):
        membership = memberships.get((grant.content_object_id, grant.user_id))
        allowed = membership is not None and (
            grant.permission.codename == "work_cases" or membership.role == "manager"
        )
        if allowed:
            grant.membership = membership
            grant.save(update_fields=["membership"])
        else:
            grant.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("teams", "0002_staff_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="teamuserobjectpermission",
            name="membership",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="grants", to="teams.membership"
            ),
        ),
        migrations.RunPython(link_grants_to_memberships, migrations.RunPython.noop),
    ]
