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
