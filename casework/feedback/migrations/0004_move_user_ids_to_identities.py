from django.db import migrations


def move_user_ids_and_compare_emails(apps, schema_editor):
    """A respondent's one global user id becomes an id at each source that sent answers for them;
    the compared form of each address is filled in (a second spelling of a taken address is kept as
    written, but no longer compared, so the unique constraint can hold)."""
    from casework.feedback.contact_details import email_key

    Respondent = apps.get_model("feedback", "Respondent")
    Response = apps.get_model("feedback", "Response")
    RespondentIdentity = apps.get_model("feedback", "RespondentIdentity")
    taken = set()
    for respondent in Respondent.objects.all().iterator():
        key = email_key(respondent.email) if respondent.email else ""
        if key and key not in taken:
            taken.add(key)
            Respondent.objects.filter(pk=respondent.pk).update(email_key=key)
        if respondent.external_id:
            sources = Response.objects.filter(respondent=respondent).values_list("source_id", flat=True).distinct()
            for source_id in sources:
                RespondentIdentity.objects.get_or_create(
                    source_id=source_id, external_id=respondent.external_id, defaults={"respondent": respondent}
                )


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0003_identities_per_source_and_email_key'),
    ]

    operations = [
        migrations.RunPython(move_user_ids_and_compare_emails, migrations.RunPython.noop),
    ]
