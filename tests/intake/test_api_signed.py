"""`POST /api/v1/responses` signed with Standard Webhooks instead of a bearer token."""

import json
import time

import pytest

from casework.feedback.models import Response
from casework.feedback.webhook_secrets import create_webhook_secret, revoke_webhook_secret
from casework.intake.signatures import sign_standard

from .conftest import API, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def casework_secret(source):
    return create_webhook_secret(source=source, label="tests")


def signed(client, secret, payload, *, msg_id="msg_1", stamp=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    stamp = int(time.time()) if stamp is None else stamp
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(stamp), "webhook-signature": sign_standard(secret, msg_id, stamp, body)}
    return client.generic("POST", API, body, content_type="application/json", headers=headers)


def test_a_signed_request_is_the_secrets_source(client, casework_secret, routes, source):
    answer = signed(client, casework_secret[1], item())
    assert answer.status_code == 200
    assert answer.json()["results"][0]["status"] == "created"
    assert Response.objects.get().source == source


def test_a_wrong_or_stale_signature_is_401(client, casework_secret, routes):
    other = create_webhook_secret(source=casework_secret[0].source)[1]
    revoke_webhook_secret(secret=casework_secret[0].source.webhook_secrets.get(secret=other))
    assert signed(client, other, item()).status_code == 401
    assert signed(client, casework_secret[1], item(), stamp=int(time.time()) - 600).status_code == 401
    assert not Response.objects.exists()


def test_a_replay_stores_nothing_new(client, casework_secret, routes):
    first = signed(client, casework_secret[1], item(), msg_id="m1").json()["results"][0]
    again = signed(client, casework_secret[1], item(), msg_id="m1").json()["results"][0]
    assert again == {**first, "status": "duplicate"}
    assert Response.objects.count() == 1


def test_a_secret_of_a_tool_source_does_not_open_the_api(client, make_source, routes):
    formbricks = make_source("formbricks")
    assert signed(client, formbricks.secret, item()).status_code == 401


def test_a_bearer_token_still_works_and_a_bad_one_is_not_rescued_by_a_signature(post, client, casework_secret, routes):
    assert post(item(1)).status_code == 200
    body = json.dumps(item(2)).encode()
    stamp = int(time.time())
    answer = client.generic("POST", API, body, content_type="application/json", headers={
        "Authorization": "Bearer wrong", "webhook-id": "m", "webhook-timestamp": str(stamp),
        "webhook-signature": sign_standard(casework_secret[1], "m", stamp, body),
    })
    assert answer.status_code == 401
