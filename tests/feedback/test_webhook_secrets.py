"""Webhook secrets: made and shown once, or pasted from the tool; never shown again."""

import io

import pytest
from django.core.management import CommandError, call_command

from casework.feedback.models import Source, WebhookSecret
from casework.feedback.webhook_secrets import standard_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(db):
    return {kind: Source.objects.create(name=kind, slug=kind.replace("_", "-"), kind=kind)
            for kind in ["casework", "typeform", "formbricks", "delighted", "qualtrics_csv"]}


def test_the_command_prints_a_standard_secret_once_for_casework(sources):
    out = io.StringIO()
    call_command("create_webhook_secret", "casework", stdout=out, stderr=io.StringIO())
    secret = out.getvalue().strip()
    assert secret.startswith("whsec_") and len(standard_key(secret)) == 32
    stored = WebhookSecret.objects.get()
    assert stored.secret == secret and stored.hint == secret[:9]


def test_typeform_gets_a_random_string(sources):
    out = io.StringIO()
    call_command("create_webhook_secret", "typeform", stdout=out, stderr=io.StringIO())
    assert len(out.getvalue().strip()) == 64 and WebhookSecret.objects.get().source == sources["typeform"]


@pytest.mark.parametrize("kind", ["formbricks", "delighted", "qualtrics_csv"])
def test_tools_that_make_their_own_secret_or_take_files_get_none(sources, kind):
    with pytest.raises(CommandError):
        call_command("create_webhook_secret", kind, stdout=io.StringIO(), stderr=io.StringIO())
    assert not WebhookSecret.objects.exists()


def test_a_formbricks_secret_is_pasted_from_standard_input(sources, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n"))
    out = io.StringIO()
    call_command("create_webhook_secret", "formbricks", "--from-stdin", stdout=out)
    assert "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" not in out.getvalue()
    assert WebhookSecret.objects.get().secret == "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    monkeypatch.setattr("sys.stdin", io.StringIO("not-a-standard-secret-at-all\n"))
    with pytest.raises(CommandError, match="whsec_"):
        call_command("create_webhook_secret", "formbricks", "--from-stdin", stdout=io.StringIO())


def test_the_admin_action_shows_the_secret_once_and_the_admin_never_again(client, admin_user, sources):
    client.force_login(admin_user)
    source = sources["casework"]
    answer = client.post("/admin/feedback/source/", {"action": "create_secret", "_selected_action": [source.pk]}, follow=True)
    secret = WebhookSecret.objects.get()
    assert secret.secret in answer.content.decode()
    for page in (f"/admin/feedback/source/{source.pk}/change/", f"/admin/feedback/webhooksecret/{secret.pk}/change/"):
        content = client.get(page).content.decode()
        assert secret.hint in content and secret.secret not in content


def test_the_admin_takes_a_pasted_delighted_key_without_showing_it(client, admin_user, sources):
    client.force_login(admin_user)
    answer = client.post("/admin/feedback/webhooksecret/add/", {"source": sources["delighted"].pk, "label": "Delighted", "pasted": "dlt_private_key_1234567890"})
    assert answer.status_code == 302
    secret = WebhookSecret.objects.get()
    assert secret.secret == "dlt_private_key_1234567890"
    assert "1234567890" not in client.get("/admin/feedback/webhooksecret/").content.decode()
    refused = client.post("/admin/feedback/webhooksecret/add/", {"source": sources["formbricks"].pk, "pasted": "short"})
    assert refused.status_code == 200 and WebhookSecret.objects.count() == 1
