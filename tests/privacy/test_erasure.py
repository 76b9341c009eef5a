"""Erasure: the person's data leaves every text and JSON column of every table; another person's
data and the dashboard's figures stay exactly as they were; later answers bring nothing back."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case, Contact, Event
from casework.feedback.models import Respondent, Response, Suppression
from casework.intake.models import Import
from casework.outreach.models import Notification
from casework.privacy import erasure
from casework.privacy.models import PrivacyRequest
from casework.privacy.requestlog import RequestError

from .conftest import HEADER, answered, api_item, figures_on, import_csv, traces_of

pytestmark = pytest.mark.django_db


def snapshot(person):
    """Everything held about a person, as plain values."""
    respondent = Respondent.objects.get(pk=person.respondent.pk)
    cases = Case.objects.filter(respondent=respondent).order_by("pk")
    return {
        "respondent": [respondent.email, respondent.name, respondent.company, respondent.country, respondent.erased_at],
        "ids": sorted(respondent.identities.values_list("external_id", flat=True)),
        "responses": list(Response.objects.filter(respondent=respondent).order_by("pk").values_list("comment", "page_url", "score")),
        "cases": list(cases.values_list("number", "status", "action_summary", "outcome", "anonymised_at")),
        "contacts": list(Contact.objects.filter(case__in=cases).order_by("pk").values_list("summary", flat=True)),
        "events": [json.dumps(data, sort_keys=True) for data in Event.objects.filter(case__in=cases).order_by("pk").values_list("data", flat=True)],
        "notifications": list(Notification.objects.filter(case__in=cases).order_by("pk").values_list("recipient", "subject", "body", "status")),
    }


def test_erasure_leaves_no_trace_in_any_table_and_touches_nobody_else(client, anna, bob, dace, maija):
    assert len(traces_of(anna.needles)) > 20  # the test data really is everywhere
    assert sorted(Notification.objects.filter(respondent=anna.respondent).values_list("status", flat=True)) == ["queued", "sent"]
    bob_before, figures_before = snapshot(bob), figures_on(client, maija)
    statuses_before = list(Case.objects.order_by("pk").values_list("number", "status", "score", "metric", "product"))

    erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm="Anna.Berzina@EXAMPLE.com")

    assert traces_of(anna.needles) == []
    assert snapshot(bob) == bob_before
    assert traces_of(bob.needles) != []
    assert figures_on(client, maija) == figures_before
    assert list(Case.objects.order_by("pk").values_list("number", "status", "score", "metric", "product")) == statuses_before
    erased = Respondent.objects.get(pk=anna.respondent.pk)
    assert erased.erased_at and erased.country == "LV"
    assert set(Case.objects.filter(respondent=erased).values_list("anonymised_at", flat=True)) != {None}
    assert PrivacyRequest.objects.filter(respondent=erased, kind="erasure", status="done", handled_by=dace).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the same test, on PostgreSQL's jsonb and text columns")
def test_erasure_on_postgresql_reads_jsonb_as_well(anna, dace):
    erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm=anna.email)
    assert traces_of(anna.needles) == []


def test_erasure_needs_the_address_typed_again(anna, dace):
    for wrong in ("", "anna@example.com", "Anna Bērziņa"):
        with pytest.raises(RequestError, match="confirm"):
            erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm=wrong)
    assert Respondent.objects.get(pk=anna.respondent.pk).erased_at is None
    erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm=anna.user_id)
    with pytest.raises(RequestError, match="already"):
        erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm=f"#{anna.respondent.pk}")


def test_later_answers_and_replays_store_no_personal_data(api, anna, dace, source, maija):
    erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm=anna.email)
    cases = Case.objects.count()
    # A replay of an answer already stored: a duplicate, nothing new.
    assert api(api_item(100, email=anna.email, name=anna.name, user_id=anna.user_id, company=anna.company, comment="replay"))[0]["status"] == "duplicate"
    # New answers, by address (any spelling) and by user id alone, through the API and a CSV file.
    results = api(
        api_item(300, email="ANNA.BERZINA@example.com", name=anna.name, user_id="", company=anna.company, comment="new by mail"),
        api_item(301, email="", name=anna.name, user_id=anna.user_id, company="", comment="new by id"),
    )
    assert [result["status"] for result in results] == ["created", "created"] and all(result["warnings"] for result in results)
    import_csv(source, maija, [f'csv-new,nps,1,"new by csv",{answered(5)},email,Payroll,,lv,{anna.user_id},{anna.email},"{anna.name}",x,LV'])
    assert Case.objects.count() == cases
    assert traces_of([*anna.needles, "new by mail", "new by id", "new by csv"]) == []
    new = Response.objects.filter(external_id__in=["r-300", "r-301", "csv-new"])
    assert new.count() == 3 and set(new.values_list("respondent", flat=True)) == {None}


@pytest.mark.django_db(transaction=True)  # the restore empties the tables, which PostgreSQL does only outside a transaction
def test_reapply_erasures_after_restoring_a_backup(anna, bob, dace, tmp_path, erasure_ledger):
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "--natural-foreign", "--exclude", "contenttypes", "--exclude", "auth.permission",
                 "--exclude", "sessions", "--output", str(backup), verbosity=0)
    erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm=anna.email)
    ledger_text = erasure_ledger.read_text()
    assert anna.email not in ledger_text and anna.user_id not in ledger_text and "fingerprints" in ledger_text

    # The database goes back to the backup, taken before the erasure: Anna, her data and even the
    # suppression list come back; the ledger, outside the database, does not.
    call_command("flush", "--no-input", verbosity=0)
    call_command("loaddata", str(backup), verbosity=0)
    assert Respondent.objects.get(pk=anna.respondent.pk).erased_at is None and not Suppression.objects.exists()
    assert traces_of([anna.email]) != []

    call_command("reapply_erasures")
    assert traces_of(anna.needles) == []
    assert traces_of(bob.needles) != []
    assert Suppression.objects.count() >= 2
    call_command("reapply_erasures")  # running it again changes nothing
    assert PrivacyRequest.objects.filter(respondent=anna.respondent.pk, channel="command", kind="erasure").count() == 1


def test_a_pending_upload_loses_the_persons_rows(anna, dace, source, maija):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.intake import importing

    rows = [
        f"p1,nps,3,mine,{answered()},web,Payroll,,lv,{anna.user_id},,,,LV",
        f"p2,nps,3,by address,{answered()},web,Payroll,,lv,,{anna.email.upper()},,,LV",
        f"p3,nps,9,someone else,{answered()},web,Payroll,,lv,u-other,other@example.com,,,LV",
    ]
    upload = SimpleUploadedFile("later.csv", ("\n".join([HEADER, *rows]) + "\n").encode())
    pending = importing.upload_import(source=source, user=maija, uploaded_file=upload)
    erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm=anna.email)
    pending = Import.objects.get(pk=pending.pk)
    with pending.file.open("rb") as handle:
        text = handle.read().decode()
    assert "someone else" in text and "mine" not in text and "by address" not in text
    assert pending.file_size == len(text.encode())


def test_the_desk_erases_after_typed_confirmation(client, anna, dace):
    client.force_login(dace)
    url = reverse("privacy:erase", args=[anna.respondent.pk])
    refused = client.post(url, {"erase-confirm": "not her"})
    assert refused.status_code == 422 and "exactly to confirm" in refused.text
    done = client.post(url, {"erase-confirm": anna.email}, follow=True)
    assert "The person&#x27;s data is erased." in done.text and "Erased on" in done.text
    assert anna.email not in done.text and anna.name not in done.text


def test_erasing_a_person_with_many_cases_keeps_every_case_number(anna, dace, make_response):
    numbers = set(Case.objects.values_list("number", flat=True))
    erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm=anna.email)
    assert set(Case.objects.values_list("number", flat=True)) == numbers
    assert Event.objects.filter(kind="privacy", data__action="erased").count() == Case.objects.filter(respondent=anna.respondent).count()
    assert timezone.now() - Respondent.objects.get(pk=anna.respondent.pk).erased_at < datetime.timedelta(minutes=1)


def test_a_webhook_delivery_about_the_person_loses_its_body(anna, dace, source):
    from casework.intake.models import Delivery

    about = Delivery.objects.create(
        source=source, delivery_id="d-1", received_at=timezone.now(), status=Delivery.Status.FAILED,
        body=json.dumps({"person": {"email": anna.email.upper()}, "comment": "x"}).encode(),
    )
    other = Delivery.objects.create(
        source=source, delivery_id="d-2", received_at=timezone.now(), status=Delivery.Status.FAILED,
        body=b'{"person": {"email": "someone@example.com"}}',
    )
    erasure.erase_respondent(respondent=anna.respondent, actor=dace, confirm=anna.email)
    about.refresh_from_db()
    other.refresh_from_db()
    assert bytes(about.body) == b"" and about.status == Delivery.Status.IGNORED
    assert bytes(other.body) != b"" and other.status == Delivery.Status.FAILED
