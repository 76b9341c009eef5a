"""`POST /api/v1/inbound-email`: a mail service forwards one raw message (Content-Type message/rfc822)
with the API token of a Source of kind "Inbound e-mail", as a bearer token or as the password of
HTTP Basic authentication (for services that only take credentials in the URL). The same service as
`manage.py receive_email` decides what becomes of it; errors are JSON naming the problem."""

import base64
import binascii

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from casework.feedback.models import SourceKind
from casework.feedback.tokens import source_for_token

from .replies import receive_email

STATUS = {"bad_message": 400, "unknown_recipient": 422}


def _error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _token(request) -> str:
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


@csrf_exempt
@login_not_required
@never_cache
@require_POST
def post_inbound_email(request):
    token = _token(request)
    source = source_for_token(token) if token else None
    if source is None:
        response = _error(401, "A valid token is required: send 'Authorization: Bearer <token>' (or Basic with the token as password).")
        response["WWW-Authenticate"] = 'Bearer realm="casework"'
        return response
    if source.kind != SourceKind.INBOUND_EMAIL:
        return _error(403, "This token's source does not take e-mail: use a source of kind 'Inbound e-mail'.")
    if request.content_type != "message/rfc822":
        return _error(415, "Send the raw message as the body with 'Content-Type: message/rfc822'.")
    limit = settings.CASEWORK_INBOUND_MAX_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _error(400, "Content-Length must be a number.")
    body = b"" if declared > limit else request.read(limit + 1)
    if declared > limit or len(body) > limit:
        return _error(413, f"The message is larger than {limit} bytes.", limit=limit)
    try:
        received = receive_email(body, via=f"http:{source.slug}")
    except DatabaseError:
        return _error(503, "Temporary failure: try again later.")
    if received.refused_as:
        return _error(STATUS[received.refused_as], received.detail, outcome=received.outcome)
    return JsonResponse({"status": "accepted", "outcome": received.outcome})
