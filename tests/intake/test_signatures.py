"""Signature schemes, checked against the Standard Webhooks reference vector and reference library."""

import datetime
import time

import pytest
from standardwebhooks.webhooks import Webhook

from casework.intake.signatures import (
    SignatureError,
    sign_delighted,
    sign_standard,
    sign_typeform,
    verify_delighted,
    verify_standard,
    verify_typeform,
)

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
STAMP = 1674087231
BODY = b'{"test": 2432232314}'
EXPECTED = "v1,AQG81rX2n4rTN1fkXoqILSHO9gAOcwya9dP41rhrQDI="


def headers(signature, stamp=STAMP, msg_id=MSG_ID):
    return {"webhook-id": msg_id, "webhook-timestamp": str(stamp), "webhook-signature": signature}


def test_the_standard_webhooks_reference_vector_verifies():
    assert sign_standard(SECRET, MSG_ID, STAMP, BODY) == EXPECTED
    assert verify_standard([SECRET], headers(EXPECTED), BODY, now=STAMP) == SECRET


def test_the_reference_library_and_ours_agree_both_ways():
    library = Webhook(SECRET)
    now = int(time.time())
    signature = library.sign(MSG_ID, datetime.datetime.fromtimestamp(now, datetime.UTC), BODY.decode())
    assert verify_standard([SECRET], headers(signature, now), BODY) == SECRET
    ours = sign_standard(SECRET, MSG_ID, now, BODY)
    assert library.verify(BODY, headers(ours, now)) == {"test": 2432232314}


@pytest.mark.parametrize(
    ("changed", "reason"),
    [
        ({"webhook-signature": EXPECTED.replace("AQG", "AQH")}, "No valid"),
        ({"webhook-signature": "v1"}, "No valid"),
        ({"webhook-signature": "v1,not base64!"}, "No valid"),
        ({"webhook-signature": "v2," + EXPECTED[3:]}, "No valid"),
        ({"webhook-timestamp": "1674087231.0"}, "whole seconds"),
        ({"webhook-timestamp": str(STAMP + 301)}, "five minutes"),
        ({"webhook-id": ""}, "Missing"),
    ],
)
def test_anything_else_is_refused_with_a_reason(changed, reason):
    with pytest.raises(SignatureError, match=reason):
        verify_standard([SECRET], {**headers(EXPECTED), **changed}, BODY, now=STAMP)


def test_a_changed_body_or_another_id_does_not_verify():
    with pytest.raises(SignatureError):
        verify_standard([SECRET], headers(EXPECTED), BODY.replace(b"2", b"3"), now=STAMP)
    with pytest.raises(SignatureError):
        verify_standard([SECRET], headers(EXPECTED, msg_id="msg_other"), BODY, now=STAMP)


def test_any_of_several_signatures_and_secrets_may_match():
    old = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk="
    both = f"v1,{'A' * 43}= {EXPECTED}"
    assert verify_standard([old, SECRET], headers(both), BODY, now=STAMP) == SECRET


def test_delighted_is_hex_and_typeform_is_base64_of_the_body_hmac():
    # HMAC-SHA256("secret", "hello"), hex and base64 of the same digest.
    digest_hex = "88aab3ede8d3adf94d26ab90d3bafd4a2083070c3bcce9c014ee04a443847c0b"
    assert sign_delighted("secret", b"hello") == "sha256=" + digest_hex
    assert sign_typeform("secret", b"hello") == "sha256=iKqz7ejTrflNJquQ07r9SiCDBww7zOnAFO4EpEOEfAs="
    assert verify_delighted(["other", "secret"], {"X-Delighted-Webhook-Signature": "sha256=" + digest_hex}, b"hello") == "secret"
    assert verify_typeform(["secret"], {"Typeform-Signature": sign_typeform("secret", b"hello")}, b"hello") == "secret"
    with pytest.raises(SignatureError):
        verify_typeform(["secret"], {"Typeform-Signature": sign_typeform("secret", b"hello!")}, b"hello")
