"""Latvian where English or the wrong grammatical case showed through (issue 11, point 13): dates after
"since" (genitive) and "on" (locative), the sort options, the empty choice of a select, and the CSV
import's row errors, written in the language of whoever started the import rather than the worker's."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from casework.cases.templatetags.casework import on_day, since_day, until_day
from casework.intake import importing
from casework.intake.models import Import

pytestmark = pytest.mark.django_db
LATVIAN = {"HTTP_ACCEPT_LANGUAGE": "lv"}
AUGUST_27 = datetime.datetime(2026, 8, 27, 12, tzinfo=datetime.UTC)


def test_a_day_after_since_and_on_takes_the_latvian_case():
    with translation.override("lv"):
        assert f"kopš {since_day(AUGUST_27)}" == "kopš 2026. gada 27. augusta"
        assert on_day(AUGUST_27) == "2026. gada 27. augustā"
        assert f"no {since_day(AUGUST_27)} līdz {until_day(AUGUST_27)}" == "no 2026. gada 27. augusta līdz 2026. gada 27. augustam"
        assert until_day(AUGUST_27.date()) == "2026. gada 27. augustam"
    with translation.override("en"):
        assert since_day(AUGUST_27) == "27 August 2026" == on_day(AUGUST_27) == until_day(AUGUST_27)


def test_the_restriction_banner_and_the_opt_out_page_say_the_day_in_latvian(client, dace, make_case, payroll):
    from casework.outreach.optout import optout_token

    case = make_case(team=payroll)
    respondent = case.respondent
    respondent.restricted_at = respondent.objected_at = AUGUST_27
    respondent.save()
    client.force_login(dace)
    page = client.get(reverse("privacy:respondent", args=[respondent.pk]), **LATVIAN).text
    assert "Apstrāde ierobežota kopš 2026. gada 27. augusta" in page
    client.logout()
    page = client.get(reverse("outreach:optout", args=[optout_token(respondent)]), **LATVIAN).text
    assert "Jūs atteicāties 2026. gada 27. augustā" in page


def test_sort_options_and_empty_choices_are_latvian(client, maija, payroll, make_case):
    client.force_login(maija)
    page = client.get(reverse("cases:list"), **LATVIAN).text
    assert "Prioritāte, augstākā vispirms" in page and "(descending)" not in page
    page = client.get(make_case(team=payroll).get_absolute_url(), **LATVIAN).text
    assert "- Izvēlieties -" in page and "Select an option" not in page


def test_row_errors_are_in_the_language_of_whoever_started_the_import(client, maija, source, routes, django_capture_on_commit_callbacks):
    body = "id,metric,score,answered_at\nbad-1,nps,11,2026-11-20T10:00:00Z\n"
    csv_import = importing.upload_import(source=source, user=maija, uploaded_file=SimpleUploadedFile("a.csv", body.encode()))
    client.force_login(maija)
    started = []
    importing.register_runner(started.append)  # the worker runs later, in a process of its own
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("intake:import-start", args=[csv_import.pk]), **LATVIAN)
    finally:
        from casework.intake import tasks

        importing.register_runner(tasks.enqueue_import)
    assert started == [csv_import.pk]
    with translation.override("en"):
        importing.run_import(csv_import.pk)
    csv_import.refresh_from_db()
    assert csv_import.status == Import.Status.DONE
    assert csv_import.problems.get().message == "Rādītāja nps vērtējumam jābūt no 0 līdz 10."
    assert Import.objects.get(pk=csv_import.pk).language == "lv"


@pytest.fixture
def routes(payroll):
    from casework.intake.models import Route

    Route.objects.create(product="Payroll", team=payroll)
