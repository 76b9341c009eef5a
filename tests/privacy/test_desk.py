"""The privacy desk: the officer's home, finding people, and the page of everything held."""

import pytest
from django.urls import reverse

from casework.privacy.finding import find_respondents
from casework.privacy.models import PrivacyRequest
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_privacy_officer_lands_on_the_desk_after_signing_in(client, dace, janis):
    response = client.post(reverse("login"), {"username": "dace", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("privacy:home")
    assert "Open requests" in response.text
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "janis", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:mine")


@pytest.mark.parametrize(
    "query", ["berzina", "BĒRZIŅA", "anna.berz", "EXAMPLE.COM", "berzins un partneri", "u-anna-77", "Bērziņa"]
)
def test_find_by_any_part_of_address_name_or_company_without_diacritics(anna, bob, query):
    assert [person.pk for person in find_respondents(query)] == [anna.respondent.pk]


def test_find_by_case_number_and_record_number(anna, bob):
    case = anna.respondent.cases.first()
    assert [p.pk for p in find_respondents(case.reference)] == [anna.respondent.pk]
    assert [p.pk for p in find_respondents(case.reference.lower())] == [anna.respondent.pk]
    assert [p.pk for p in find_respondents(f"#{bob.respondent.pk}")] == [bob.respondent.pk]
    assert find_respondents("   ") == [] and find_respondents("nobody-here") == []


def test_the_search_page_links_each_person_and_escapes_what_they_wrote(client, dace, anna, make_response):
    from casework.feedback.models import Respondent

    Respondent.objects.create(name="<script>alert(1)</script> Berzina", email="x@example.com")
    client.force_login(dace)
    page = client.get(reverse("privacy:home"), {"q": "berzina"}).text
    assert reverse("privacy:respondent", args=[anna.respondent.pk]) in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_the_respondent_page_shows_everything_held(client, dace, anna):
    client.force_login(dace)
    page = client.get(reverse("privacy:respondent", args=[anna.respondent.pk])).text
    for text in [anna.email, anna.name, anna.company, anna.user_id, *anna.texts]:
        assert text.replace("'", "&#x27;").replace('"', "&quot;") in page, text
    for case in anna.respondent.cases.all():
        assert case.reference in page
    assert "In-app survey" in page  # where the data came from
    assert "Access" in page and "Awaiting an answer" in page  # the request logged for her


def test_open_requests_are_listed_most_urgent_first_with_due_words(client, dace, anna, bob):
    import datetime

    from django.utils import timezone

    from casework.privacy import requestlog

    today = timezone.localdate()
    requestlog.log_request(respondent=bob.respondent, kind="erasure", actor=dace, received_on=today - datetime.timedelta(days=40))
    PrivacyRequest.objects.filter(respondent=anna.respondent).update(received_on=today - datetime.timedelta(days=27), due_on=today + datetime.timedelta(days=3))
    client.force_login(dace)
    page = client.get(reverse("privacy:home")).text
    table = page.split("Open requests", 1)[1]
    assert table.index("Erasure") < table.index("Access")  # overdue first
    assert "overdue" in table and "due in 3 days" in table


def test_handled_requests_stay_on_the_log(client, dace, anna):
    from casework.privacy import rights

    rights.object_to_contact(respondent=anna.respondent, actor=dace)
    client.force_login(dace)
    page = client.get(reverse("privacy:requests")).text
    assert "Objection recorded" in page and "Handled" in page and "Dace Kalniņa" in page
    assert "Objection" not in client.get(reverse("privacy:home")).text.split("Open requests", 1)[1]
