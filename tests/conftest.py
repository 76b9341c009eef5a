"""Named example users, as DESIGN.md's demo: two teams with staff and a manager each, a privacy
officer and an administrator. Allowed and denied checks share this setup."""

import datetime
import io
import json
import logging
import os

import pytest
from hypothesis import settings as hypothesis_settings
from django.contrib.auth.models import Permission
from django.utils import timezone

from casework.cases import opening
from casework.feedback.models import Respondent, RespondentIdentity, Response, Source
from casework.logs import JsonFormatter, RequestIdFilter
from casework.teams.membership import add_member
from casework.teams.models import Membership, Team
from tests.log_scan import pytest_configure, pytest_runtest_protocol, pytest_sessionfinish  # noqa: F401 - hooks: logs hold no personal data

PASSWORD = "a-long-test-password"

# Property tests (tests/intake/test_properties.py): few examples in the everyday run so the suite stays
# fast; no deadline (the machine is shared, timings vary); no example database written into the tree.
hypothesis_settings.register_profile("casework", max_examples=40, deadline=None, database=None, derandomize=True)  # CI: the same examples every run; "thorough" explores
hypothesis_settings.register_profile("thorough", max_examples=2000, deadline=None, database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "casework"))


@pytest.fixture
def make_user(django_user_model):
    def make(username, **extra):
        return django_user_model.objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def payroll(db):
    return Team.objects.create(name="Payroll", slug="payroll")


@pytest.fixture
def accounting(db):
    return Team.objects.create(name="Accounting", slug="accounting")


@pytest.fixture
def janis(make_user, payroll):
    user = make_user("janis", first_name="Jānis", last_name="Ozols")
    add_member(team=payroll, user=user, role=Membership.Role.STAFF)
    return user


@pytest.fixture
def maija(make_user, payroll):
    user = make_user("maija", first_name="Maija", last_name="Liepiņa")
    add_member(team=payroll, user=user, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def anna(make_user, accounting):
    user = make_user("anna", first_name="Anna", last_name="Smith")
    add_member(team=accounting, user=user, role=Membership.Role.STAFF)
    return user


@pytest.fixture
def dace(make_user):
    user = make_user("dace", first_name="Dace", last_name="Kalniņa")
    user.user_permissions.add(Permission.objects.get(codename="handle_privacy_requests"))
    return user


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", is_staff=True, is_superuser=True)


@pytest.fixture
def source(db):
    return Source.objects.create(name="In-app survey", slug="in-app")


@pytest.fixture
def make_response(source):
    counter = iter(range(1, 10_000))

    def make(*, metric="nps", score=3, comment="Too slow", product="Payroll", respondent=None, **extra):
        number = next(counter)
        if respondent is None:
            respondent = Respondent.objects.create(email=f"person{number}@example.com", name=f"Person {number}", country="LV")
            RespondentIdentity.objects.create(source=source, external_id=f"u-{number}", respondent=respondent)
        return Response.objects.create(
            source=source,
            external_id=f"r-{number}",
            respondent=respondent,
            metric=metric,
            score=score,
            comment=comment,
            answered_at=timezone.now() - datetime.timedelta(hours=1),
            product=product,
            **extra,
        )

    return make


@pytest.fixture
def make_case(make_response):
    def make(*, team, product=None, **response_fields):
        response = make_response(product=product or team.name, **response_fields)
        return opening.open_case(
            response=response, team=team, priority=2, first_contact_due_at=timezone.now() + datetime.timedelta(hours=24)
        )

    return make


@pytest.fixture(autouse=True)
def erasure_ledger(settings, tmp_path):
    # Each test its own ledger file, never the development one under var/.
    settings.CASEWORK_ERASURE_LEDGER = str(tmp_path / "erasure-ledger.jsonl")
    return tmp_path / "erasure-ledger.jsonl"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shipped_templates(db):
    """The closing e-mails the migrations ship; recreated because transactional tests empty the tables."""
    import importlib

    from casework.outreach.models import EmailTemplate

    shipped = importlib.import_module("casework.outreach.migrations.0006_specific_default_templates")
    for locale, text in shipped.NEW.items():
        EmailTemplate.objects.get_or_create(name=shipped.NAME, locale=locale, defaults={**text, "is_default": True})


@pytest.fixture
def json_lines():
    """What production's console handler writes (casework/logs.py), for the duration of a test."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.fixture(autouse=True)
def no_language_left_behind():
    """A request in Latvian leaves Latvian active in the thread (LocaleMiddleware activates, nothing
    deactivates); code called directly by the next test would then speak Latvian."""
    yield
    from django.utils import translation

    translation.deactivate()
