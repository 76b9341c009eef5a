"""`POST /api/v1/responses` (DESIGN.md, "Ingestion API"). Machine-to-machine: a Source's bearer
token, or a Standard Webhooks signature made with one of its webhook secrets (webhook_auth.py), never
a session, so no CSRF token is needed and a signed-in browser cannot post here."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseNotAllowed, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from casework.feedback.models import SourceKind
from casework.feedback.tokens import source_for_token

from .ingestion import ingest
from .jsonbody import BadJson, load_json
from .webhook_auth import is_signed, source_for_signature


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _bearer_token(request) -> str:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


# Who answers GET on this address: the read API, a layer above, registers its view here (its apps.py),
# so one URL serves both scopes without this module importing the reader.
_reader: Callable | None = None


def register_reader(view: Callable) -> None:
    global _reader
    _reader = view


@csrf_exempt
@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def responses_endpoint(request):
    if request.method == "GET":
        if _reader is None:
            return HttpResponseNotAllowed(["POST"])
        return _reader(request)
    return post_responses(request)


def post_responses(request):
    token = _bearer_token(request)
    source = source_for_token(token) if token else None
    if source is None and not (is_signed(request) and not token):
        response = _error(401, "A valid API token is required: send 'Authorization: Bearer <token>'.")
        response["WWW-Authenticate"] = 'Bearer realm="casework"'
        return response
    if source is not None and source.kind == SourceKind.INBOUND_EMAIL:
        # A mail relay's token forwards replies (/api/v1/inbound-email); it has no survey answers to send.
        return _error(403, "This token belongs to an inbound e-mail source: it cannot send responses.")
    if request.content_type != "application/json":
        return _error(415, "Send the body as JSON with 'Content-Type: application/json'.")
    limit = settings.CASEWORK_API_MAX_BODY_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _error(400, "Content-Length must be a number.")
    if declared > limit:
        return _error(413, f"The body is larger than {limit} bytes; send smaller batches.", limit=limit)
    body = request.read(limit + 1)
    if len(body) > limit:
        return _error(413, f"The body is larger than {limit} bytes; send smaller batches.", limit=limit)
    if source is None:
        source, refused = source_for_signature(request.headers, body)
        if source is None:
            return _error(401, f"Signature refused: {refused}")
    try:
        payload = load_json(body)
    except BadJson as error:
        return _error(400, str(error))
    items, problem = _items(payload)
    if problem:
        return _error(400, problem)
    results = ingest(source, items)
    return JsonResponse({"results": [result.as_dict() for result in results]})


def _items(payload) -> tuple[list, str]:
    """The list of response objects, or a message saying why the body has the wrong shape."""
    if isinstance(payload, dict) and "responses" in payload:
        if set(payload) != {"responses"}:
            return [], "A batch is {\"responses\": [...]} with no other keys."
        items = payload["responses"]
        if not isinstance(items, list):
            return [], "'responses' must be a list of response objects."
        if not items:
            return [], "'responses' is empty."
        limit = settings.CASEWORK_API_MAX_BATCH
        if len(items) > limit:
            return [], f"At most {limit} responses per batch; this one has {len(items)}."
        return items, ""
    if isinstance(payload, dict):
        return [payload], ""
    return [], "The body must be one response object or {\"responses\": [...]}."
