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
