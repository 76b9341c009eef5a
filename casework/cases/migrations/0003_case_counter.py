from django.db import migrations

# Case numbers start at CW-1001: short, but never confused with a count or a score.
FIRST_NUMBER = 1001


def create_counter(apps, schema_editor):
    Counter = apps.get_model("cases", "Counter")
    Counter.objects.get_or_create(name="case", defaults={"value": FIRST_NUMBER - 1})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(create_counter, migrations.RunPython.noop)]
