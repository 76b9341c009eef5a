"""The respondent's one-click opt-out (RFC 8058)."""

import pytest
from django.core import signing
from django.test import Client

from casework.feedback.models import Respondent
from casework.outreach.optout import SALT, optout_url

pytestmark = pytest.mark.django_db


def path_of(url):
    return url.split("8000", 1)[1] if "8000" in url else url


def test_get_asks_and_post_records_the_objection(make_case, payroll):
    case = make_case(team=payroll)
    url = path_of(optout_url(case.respondent))
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(url)
    assert page.status_code == 200 and "Stop e-mails about your feedback?" in page.text
    assert Respondent.objects.get(pk=case.respondent_id).objected_at is None  # a GET (e.g. a link scanner) changes nothing
    done = anonymous.post(url)
    assert done.status_code == 200 and "we will not e-mail you" in done.text
    assert Respondent.objects.get(pk=case.respondent_id).objected_at is not None
    event = case.events.get(kind="privacy")
    assert event.data == {"action": "objected", "how": "one-click opt-out"}


def test_a_mail_clients_one_click_post_works_without_cookies(make_case, payroll):
    case = make_case(team=payroll)
    response = Client(enforce_csrf_checks=True).post(
        path_of(optout_url(case.respondent)), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Respondent.objects.get(pk=case.respondent_id).objected_at is not None


def test_a_second_click_changes_nothing(make_case, payroll):
    case = make_case(team=payroll)
    url = path_of(optout_url(case.respondent))
    Client().post(url)
    first = Respondent.objects.get(pk=case.respondent_id).objected_at
    Client().post(url)
    assert Respondent.objects.get(pk=case.respondent_id).objected_at == first
    assert case.events.filter(kind="privacy").count() == 1


@pytest.mark.parametrize("token", ["nonsense", "eyJyIjoxfQ:1xW6C6:tampered", signing.dumps({"r": 1}, salt="other")])
def test_a_tampered_link_is_a_clear_error(client, make_case, payroll, token):
    make_case(team=payroll)
    for method in ("get", "post"):
        response = getattr(client, method)(f"/optout/{token}/")
        assert response.status_code == 400 and "This link does not work" in response.text
    assert not Respondent.objects.filter(objected_at__isnull=False).exists()


def test_an_expired_link_says_so(client, make_case, payroll, settings):
    case = make_case(team=payroll)
    token = signing.dumps({"r": case.respondent_id}, salt=SALT, compress=True)
    settings.CASEWORK_OPTOUT_MAX_AGE_DAYS = -1
    response = client.get(f"/optout/{token}/")
    assert response.status_code == 400 and "expired" in response.text
