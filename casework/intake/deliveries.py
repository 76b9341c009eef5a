"""Webhook deliveries: kept as they arrived, answered at once, processed after (README, "Connectors").
Survey tools give up after a second or two and then retry for a day, so the request only checks the
signature and stores the body; the mapping, rules and cases run in the task queue. A delivery that
cannot be mapped keeps its body and error for the Deliveries page, where it can be retried."""

import hashlib
import json
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.feedback.models import Source, SourceKind

from .connectors import MappingError, NotYet, translate
from .ingestion import INVALID, ingest
from .models import Delivery
from .revisions import ingest_or_complete

logger = logging.getLogger(__name__)
STANDARD_WEBHOOK_KINDS = {SourceKind.CASEWORK, SourceKind.FORMBRICKS}


def delivery_id_for(source: Source, headers, body: bytes) -> str:
    """The tool's id of this delivery: a retry carries the same one, so it is recognised as a replay."""
    if source.kind in STANDARD_WEBHOOK_KINDS:
        return headers.get("webhook-id", "")[:200]
    try:
        event_id = json.loads(body).get("event_id")
    except (ValueError, RecursionError, AttributeError):
        event_id = None
    if isinstance(event_id, str | int) and not isinstance(event_id, bool) and str(event_id):
        return str(event_id)[:200]
    return "sha256:" + hashlib.sha256(body).hexdigest()


def receive_delivery(*, source: Source, delivery_id: str, body: bytes) -> Delivery | None:
    """The stored delivery, queued for processing; None when this id was received before."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(source=source, delivery_id=delivery_id, body=body, received_at=timezone.now())
        except IntegrityError:
            return None
        _enqueue(delivery.pk)
    return delivery


@transaction.atomic
def retry_delivery(*, delivery: Delivery) -> bool:
    updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.RECEIVED, error=""
    )
    if updated:
        _enqueue(delivery.pk)
    return bool(updated)


# Who hands a stored delivery to a worker: intake/tasks.py registers its task here when the app starts
# (apps.py), so this module never imports the task module that imports it.
_processor: Callable[[int], None] | None = None


def register_processor(processor: Callable[[int], None]) -> None:
    global _processor
    _processor = processor


def _enqueue(pk: int) -> None:
    # In the delivery's own transaction: with the database task backend the task row commits with the
    # delivery (one commit per request, and never a stored delivery without its task, as a crash
    # between commit and an on_commit hook would leave); the in-process backend runs it right here.
    if _processor is not None:
        _processor(pk)


def process_delivery(pk: int) -> None:
    delivery = Delivery.objects.select_related("source").filter(pk=pk, status=Delivery.Status.RECEIVED).first()
    if delivery is None:
        return  # processed already (a retry clicked twice, or a second worker)
    Delivery.objects.filter(pk=pk).update(attempts=delivery.attempts + 1)
    try:
        translated = translate(delivery.source, bytes(delivery.body))
    except MappingError as error:
        return _finish(delivery, Delivery.Status.FAILED, error=str(error))
    except NotYet as reason:
        return _finish(delivery, Delivery.Status.IGNORED, outcome=str(reason))
    if translated.ignored:
        return _finish(delivery, Delivery.Status.IGNORED, event=translated.event, outcome=translated.ignored)
    try:
        # A savepoint, so that a failure leaves the caller's transaction usable for recording it (the
        # in-process task backend runs this inside the request's transaction).
        with transaction.atomic():
            results = _store(delivery.source, translated.items)
    except Exception:
        # Kept with its body for a retry, and the request that stored it still answered 2xx.
        logger.exception("Delivery %s could not be processed", pk)
        return _finish(delivery, Delivery.Status.FAILED, event=translated.event, error=_("Internal error; see the server log."))
    refused = [result for result in results if result.status == INVALID]
    if refused:
        error = "; ".join(f"{r.id or '?'}: {name}: {' '.join(messages)}" for r in refused for name, messages in r.errors.items())
        return _finish(delivery, Delivery.Status.FAILED, event=translated.event, error=error, outcome=_outcome(results))
    _finish(delivery, Delivery.Status.PROCESSED, event=translated.event, outcome=_outcome(results))


def _store(source: Source, items: list):
    if source.kind == SourceKind.CASEWORK:
        return ingest(source, items)  # the API's contract: an id sent again is a duplicate
    return ingest_or_complete(source, items)


def _outcome(results) -> str:
    return ", ".join(f"{r.id}: {r.status}" + (f" {r.case}" if r.case else "") for r in results)[:500]


def _finish(delivery: Delivery, status: str, *, event: str = "", error: str = "", outcome: str = "") -> None:
    # Once processed (or found to hold nothing to store), the body is personal data without a purpose.
    keep_body = status == Delivery.Status.FAILED
    fields = {"status": status, "error": error[:5000], "outcome": outcome[:500], "processed_at": timezone.now()}
    if event:
        fields["event"] = event[:50]
    if not keep_body:
        fields["body"] = b""
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
