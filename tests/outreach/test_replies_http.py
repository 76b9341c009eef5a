"""`POST /api/v1/inbound-email`: a mail service forwards the raw message with its source's secret."""

import base64

import pytest
from django.urls import reverse

from casework.cases.models import Case, Contact
from casework.feedback.models import Source
from casework.feedback.tokens import create_api_token, revoke_api_token

from .mailfixtures import DOMAIN, load, queue_and_send

pytestmark = pytest.mark.django_db
URL = "/api/v1/inbound-email"


@pytest.fixture
def sent(settings, resolved_case, janis, django_capture_on_commit_callbacks):
    settings.CASEWORK_REPLY_DOMAIN = DOMAIN
    return queue_and_send(resolved_case, janis, django_capture_on_commit_callbacks)


@pytest.fixture
def mail_token(db):
    source = Source.objects.create(name="Mail relay", slug="mail-relay", kind=Source.Kind.INBOUND_EMAIL)
    return create_api_token(source=source)


def post(client, body, token="", content_type="message/rfc822", **headers):
    if token:
        headers.setdefault("Authorization", f"Bearer {token}")
    return client.post(URL, body, content_type=content_type, headers=headers)


def test_the_address_is_the_documented_one():
    assert reverse("outreach:api-inbound-email") == URL


def test_a_forwarded_reply_lands_on_its_case(client, sent, mail_token):
    answer = post(client, load("gmail_reply.eml", sent), mail_token[1])
    assert answer.status_code == 200
    assert answer.json() == {"status": "accepted", "outcome": "reply"}
    assert Case.objects.get(pk=sent.case_id).status == "in_progress"
    assert Contact.objects.filter(case_id=sent.case_id, direction="inbound").count() == 1


def test_basic_authentication_with_the_token_as_password_works_too(client, sent, mail_token):
    credentials = base64.b64encode(f"mail:{mail_token[1]}".encode()).decode()
    answer = post(client, load("out_of_office.eml", sent), Authorization=f"Basic {credentials}")
    assert answer.status_code == 200 and answer.json()["outcome"] == "auto_reply"


@pytest.mark.parametrize("secret", ["", "cw_wrong", "Basic !!!", "revoked"])
def test_a_missing_wrong_or_revoked_secret_is_401_and_stores_nothing(client, sent, mail_token, secret):
    if secret == "revoked":
        revoke_api_token(token=mail_token[0])
        secret = mail_token[1]
    headers = {"Authorization": secret} if secret.startswith("Basic") else {}
    answer = post(client, load("gmail_reply.eml", sent), "" if secret.startswith("Basic") else secret, **headers)
    assert answer.status_code == 401
    assert "token" in answer.json()["error"]
    assert not Contact.objects.exists()


def test_a_survey_sources_token_cannot_post_e_mail(client, sent, source):
    _token, plaintext = create_api_token(source=source)
    answer = post(client, load("gmail_reply.eml", sent), plaintext)
    assert answer.status_code == 403 and "Inbound e-mail" in answer.json()["error"]
    assert not Contact.objects.exists()


def test_refusals_name_the_problem(client, sent, mail_token, settings):
    token = mail_token[1]
    forged = post(client, load("forged.eml", sent), token)
    assert forged.status_code == 422 and forged.json()["outcome"] == "forged" and "signature" in forged.json()["error"]
    unmatched = post(client, load("unmatched.eml", sent), token)
    assert unmatched.status_code == 422 and unmatched.json()["outcome"] == "unmatched"
    garbage = post(client, b"\x00\x01 not mail", token)
    assert garbage.status_code == 400 and garbage.json()["outcome"] == "bad_message"
    json_body = post(client, b"{}", token, content_type="application/json")
    assert json_body.status_code == 415 and "message/rfc822" in json_body.json()["error"]
    settings.CASEWORK_INBOUND_MAX_BYTES = 100
    big = post(client, load("gmail_reply.eml", sent), token)
    assert big.status_code == 413 and big.json()["limit"] == 100
    assert client.get(URL).status_code == 405
    assert not Contact.objects.exists()


def test_a_mail_relays_token_cannot_send_survey_responses(client, mail_token):
    answer = client.post("/api/v1/responses", {"id": "r-1"}, content_type="application/json", headers={"Authorization": f"Bearer {mail_token[1]}"})
    assert answer.status_code == 403 and "inbound e-mail" in answer.json()["error"]


def test_a_mail_relay_source_is_not_offered_for_csv_import(client, maija, mail_token, source):
    client.force_login(maija)
    page = client.get(reverse("intake:import")).text
    assert "In-app survey" in page and "Mail relay" not in page
