import pytest

from casework.feedback.models import ApiToken
from casework.feedback.tokens import create_api_token, revoke_api_token, source_for_token

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_a_digest_and_authenticates_its_source(source):
    token, plaintext = create_api_token(source=source, label="widget")
    stored = ApiToken.objects.get()
    assert plaintext not in (stored.digest, stored.prefix)
    assert plaintext.split("_")[-1] not in stored.digest
    assert source_for_token(plaintext) == source
    assert source_for_token(plaintext + "x") is None


def test_a_revoked_token_no_longer_authenticates(source):
    token, plaintext = create_api_token(source=source)
    revoke_api_token(token=token)
    assert source_for_token(plaintext) is None


def test_the_command_prints_a_working_token(source, capsys):
    from django.core.management import call_command

    call_command("create_api_token", "in-app", label="widget")
    plaintext = capsys.readouterr().out.strip()
    assert source_for_token(plaintext) == source


def test_the_command_names_the_sources_when_one_is_unknown(source):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="In-app survey"):
        call_command("create_api_token", "nope")
