import datetime
import json

import pytest
from django.utils import timezone

from casework.feedback.tokens import create_api_token
from casework.intake.models import Route

API = "/api/v1/responses"


@pytest.fixture
def token(source):
    return create_api_token(source=source, label="tests")[1]


@pytest.fixture
def default_rules(db):
    """The rules the migration ships; recreated here because transactional tests empty the tables."""
    import importlib

    from casework.intake.models import Rule

    shipped = importlib.import_module("casework.intake.migrations.0003_default_rules").DEFAULT_RULES
    for rule in shipped:
        Rule.objects.get_or_create(name=rule["name"], defaults=rule)


@pytest.fixture
def routes(payroll, accounting, default_rules):
    Route.objects.create(product="Payroll", team=payroll)
    Route.objects.create(product="Accounting", team=accounting)


def answered(minutes_ago=5):
    return (timezone.now() - datetime.timedelta(minutes=minutes_ago)).isoformat()


def item(number=1, **fields):
    """A valid response object as DESIGN.md's contract shows it; `fields` override or (None) drop."""
    data = {
        "id": f"r-{number}",
        "metric": "nps",
        "score": 3,
        "comment": "Too slow",
        "answered_at": answered(),
        "channel": "web",
        "product": "Payroll",
        "url": "https://app.example.com/payroll",
        "locale": "lv",
        "respondent": {
            "id": f"u-{number}",
            "email": f"anna{number}@example.com",
            "name": "Anna Bērziņa",
            "company": "Example SIA",
            "country": "LV",
        },
    }
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.fixture
def post(client, token):
    def send(payload, *, auth=True, content_type="application/json", raw=None, **headers):
        if auth:
            headers.setdefault("Authorization", f"Bearer {token}")
        body = raw if raw is not None else json.dumps(payload)
        return client.generic("POST", API, body, content_type=content_type, headers=headers)

    return send


@pytest.fixture
def webhook(client, django_capture_on_commit_callbacks):
    """Posts a body to a source's webhook address, signed as its tool signs (or with `headers` as given)."""
    import time

    from casework.intake import signatures

    def send(source, payload=None, *, secret=None, raw=None, headers=None, msg_id="msg_1", timestamp=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        if headers is None:
            headers = {}
            if source.kind in ("formbricks", "casework"):
                stamp = int(time.time()) if timestamp is None else timestamp
                headers = {"webhook-id": msg_id, "webhook-timestamp": str(stamp),
                           "webhook-signature": signatures.sign_standard(secret, msg_id, stamp, body)}
            elif source.kind == "delighted":
                headers = {"X-Delighted-Webhook-Signature": signatures.sign_delighted(secret, body)}
            elif source.kind == "typeform":
                headers = {"Typeform-Signature": signatures.sign_typeform(secret, body)}
        # Processing is queued after commit, as in production; the in-process task backend runs it.
        with django_capture_on_commit_callbacks(execute=True):
            return client.generic("POST", f"/api/v1/webhooks/{source.slug}", body, content_type="application/json", headers=headers)

    return send


@pytest.fixture
def make_source(db):
    from casework.feedback.models import FieldMapping, Source
    from casework.feedback.webhook_secrets import add_webhook_secret, create_webhook_secret

    def make(kind, *, mappings=(), secret=None, **fields):
        source = Source.objects.create(name=f"{kind} source", slug=f"{kind}-source", kind=kind, **fields)
        for line in mappings:
            FieldMapping.objects.create(source=source, **line)
        if kind in ("formbricks", "delighted"):
            secret = secret or ("whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" if kind == "formbricks" else "delighted-private-api-key-1234")
            add_webhook_secret(source=source, secret=secret)
        elif kind in ("typeform", "casework"):
            secret = create_webhook_secret(source=source)[1]
        source.secret = secret
        return source

    return make
