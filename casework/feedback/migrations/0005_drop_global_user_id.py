from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0004_move_user_ids_to_identities'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='respondent',
            name='external_id',
        ),
        migrations.AddConstraint(
            model_name='respondent',
            constraint=models.UniqueConstraint(condition=models.Q(('email_key', ''), _negated=True), fields=('email_key',), name='respondent_email_key_unique'),
        ),
        migrations.AddConstraint(
            model_name='respondentidentity',
            constraint=models.UniqueConstraint(fields=('source', 'external_id'), name='identity_once_per_source'),
        ),
    ]
