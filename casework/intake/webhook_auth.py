"""Standard Webhooks signatures as the API's second way in, beside bearer tokens: a tool that signs
(`webhook-id`, `webhook-timestamp`, `webhook-signature`) with a Casework source's `whsec_` secret is that
source. A replay within the five minutes the timestamp allows stores nothing new, because the API is
idempotent by (source, response id): every item answers "duplicate"."""

from casework.feedback.models import SourceKind, WebhookSecret

from .signatures import SignatureError, verify_standard


def is_signed(request) -> bool:
    return "webhook-signature" in request.headers


def source_for_signature(headers, body: bytes):
    """(the source whose secret signed the body, "") or (None, why not)."""
    secrets = WebhookSecret.objects.filter(
        revoked_at__isnull=True, source__is_active=True, source__kind=SourceKind.CASEWORK
    ).select_related("source")
    by_secret = {secret.secret: secret.source for secret in secrets}
    try:
        signer = verify_standard(list(by_secret), headers, body)
    except SignatureError as error:
        return None, str(error)
    return by_secret[signer], ""
