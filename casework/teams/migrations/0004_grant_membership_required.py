import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("teams", "0003_grants_hang_from_memberships"),
    ]

    operations = [
        migrations.AlterField(
            model_name="teamuserobjectpermission",
            name="membership",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="grants", to="teams.membership"
            ),
        ),
    ]
