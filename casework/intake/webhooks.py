"""`POST /api/v1/webhooks/<source slug>`: where a survey tool posts its own webhook format, signed with
its own scheme (signatures.py). Machine-to-machine, so no session and no CSRF token. The answer comes
as soon as the delivery is verified and stored; the work happens in the task queue (deliveries.py)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from casework.feedback.models import WEBHOOK_KINDS, Source, SourceKind, WebhookSecret

from .deliveries import delivery_id_for, receive_delivery
from .signatures import SignatureError, verify_delighted, verify_standard, verify_typeform

VERIFIERS = {
    SourceKind.CASEWORK: verify_standard,
    SourceKind.FORMBRICKS: verify_standard,
    SourceKind.DELIGHTED: verify_delighted,
    SourceKind.TYPEFORM: verify_typeform,
}
# Formbricks checks a new webhook's address with this body before its secret exists; it carries no
# data, so it is answered without a signature and nothing is stored.
FORMBRICKS_TEST = b'{"event":"testEndpoint"}'


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def read_limited_body(request) -> tuple[bytes | None, JsonResponse | None]:
    limit = settings.CASEWORK_API_MAX_BODY_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return None, _error(400, "Content-Length must be a number.")
    body = request.read(limit + 1) if declared <= limit else b""
    if declared > limit or len(body) > limit:
        return None, _error(413, f"The body is larger than {limit} bytes.")
    return body, None


def _source_and_secrets(slug: str) -> tuple[Source | None, list[str]]:
    """One query on the common path: a source with secrets (tools post many times a second)."""
    active = WebhookSecret.objects.select_related("source").filter(
        source__slug=slug, source__is_active=True, source__kind__in=WEBHOOK_KINDS, revoked_at__isnull=True
    )
    secrets = list(active)
    if secrets:
        return secrets[0].source, [secret.secret for secret in secrets]
    return Source.objects.filter(slug=slug, is_active=True, kind__in=WEBHOOK_KINDS).first(), []


@csrf_exempt
@login_not_required
@never_cache
@require_POST
def post_webhook(request, slug):
    source, secrets = _source_and_secrets(slug)
    if source is None:
        return _error(404, "No active webhook source has this address.")
    body, problem = read_limited_body(request)
    if problem:
        return problem
    if source.kind == SourceKind.FORMBRICKS and body == FORMBRICKS_TEST:
        return JsonResponse({"status": "ok"})
    try:
        VERIFIERS[source.kind](secrets, request.headers, body)
    except SignatureError as error:
        return _error(401, f"Signature refused: {error}")
    delivery = receive_delivery(source=source, delivery_id=delivery_id_for(source, request.headers, body), body=body)
    if delivery is None:
        # A retry or replay of a delivery already received: acknowledged, nothing stored again.
        return JsonResponse({"status": "already received"})
    return JsonResponse({"status": "accepted", "delivery": delivery.pk}, status=202)
