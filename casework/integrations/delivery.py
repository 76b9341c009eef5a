"""Sending the outbox (README, "Outbound webhooks"). A worker claims a delivery with a conditional UPDATE
that sets a lease, as the e-mail outbox does, so two workers never send it at once and one that dies
mid-delivery frees it when the lease runs out. Deliveries of one case go to an endpoint in the order
their Events happened: only the oldest still waiting may be claimed. A failure is retried with
back-off; an endpoint that fails N times in a row is paused and its owner told, and its deliveries
wait for it. Each is signed with Standard Webhooks headers."""

import base64
import datetime
import http.client
import json
import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from casework.feedback.webhook_secrets import STANDARD_PREFIX
from casework.intake.signatures import sign_standard

from . import addresses
from .models import WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint
from .representation import person_out

PENDING = WebhookDeliveryStatus.PENDING
MAX_BACKOFF = datetime.timedelta(hours=6)
logger = logging.getLogger(__name__)

# Who hands a chain to a worker after commit; tasks.py registers it (apps.py), so this module never
# imports the task module back. Without it the periodic sweep still delivers everything.
_courier: Callable[[int, int], None] | None = None


def register_courier(courier: Callable[[int, int], None]) -> None:
    global _courier
    _courier = courier


def enqueue_chain(endpoint_id: int, case_id: int) -> None:
    if _courier is not None:
        try:
            _courier(endpoint_id, case_id)
        except Exception:  # noqa: BLE001 - the sweep delivers it anyway; a broken queue must not fail the change
            logger.exception("Handing webhook deliveries to a worker failed")


def deliver_chain(endpoint_id: int, case_id: int, *, now: datetime.datetime | None = None) -> list[str]:
    """Sends one case's waiting deliveries to one endpoint, oldest first, until one fails."""
    outcomes = []
    while True:
        head = (
            WebhookDelivery.objects.filter(endpoint_id=endpoint_id, case_id=case_id, status=PENDING)
            .order_by("pk").values_list("pk", flat=True).first()
        )
        if head is None:
            return outcomes
        outcome = deliver(head, now=now)
        outcomes.append(outcome)
        if outcome not in ("delivered", "failed"):
            return outcomes


def deliver_due(*, now: datetime.datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """The worker's sweep: every chain whose oldest waiting delivery is due (retries, and any whose
    task was lost or whose worker died)."""
    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(status=PENDING, next_attempt_at__lte=now, endpoint__is_active=True, endpoint__paused_at__isnull=True)
        .order_by("pk").values_list("endpoint_id", "case_id")[:limit]
    )
    counts: dict[str, int] = {}
    for endpoint_id, case_id in dict.fromkeys(due):
        try:
            outcomes = deliver_chain(endpoint_id, case_id, now=now)
        except Exception:  # noqa: BLE001 - one broken chain must not hold up the others; the log has it
            logger.exception("Delivering webhooks of case %s to endpoint %s failed", case_id, endpoint_id)
            outcomes = ["error"]
        for outcome in outcomes:
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    earlier_waiting = WebhookDelivery.objects.filter(
        endpoint_id=OuterRef("endpoint_id"), case_id=OuterRef("case_id"), status=PENDING, pk__lt=OuterRef("pk")
    )
    lease = datetime.timedelta(seconds=settings.CASEWORK_WEBHOOK_LEASE_SECONDS)
    return bool(
        WebhookDelivery.objects.filter(pk=delivery_id, status=PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(~Exists(earlier_waiting))
        .update(claimed_until=now + lease, attempts=F("attempts") + 1, last_attempt_at=now)
    )


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> str:
    """Sends one delivery if it is due, first in its case's line, and nobody else holds it."""
    now = now or timezone.now()
    endpoint = WebhookEndpoint.objects.filter(deliveries=delivery_id).first()
    if endpoint is None or not endpoint.is_active or endpoint.paused_at is not None:
        return "paused"
    if not _claim(delivery_id, now):
        return "skipped"
    item = WebhookDelivery.objects.select_related("case__respondent", "case__response").get(pk=delivery_id)
    body = json.dumps(body_of(item, endpoint), ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Casework-Webhooks/1",
        "webhook-id": item.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign_standard(endpoint.secret, item.message_id, timestamp, body),
    }
    try:
        status, answer = addresses.post(endpoint.url, body, headers, timeout=settings.CASEWORK_WEBHOOK_TIMEOUT_SECONDS)
    except addresses.AddressRefused as error:
        return _failed(item, endpoint, str(error), None, now)
    except (OSError, http.client.HTTPException) as error:
        return _failed(item, endpoint, f"{type(error).__name__}: {error}", None, now)
    if 200 <= status < 300:
        return _delivered(item, endpoint, status)
    return _failed(item, endpoint, f"HTTP {status}: {answer[:300]}", status, now)


def body_of(item: WebhookDelivery, endpoint: WebhookEndpoint) -> dict:
    """The stored facts, plus — only for an endpoint allowed personal data, and only while the person
    has not objected, restricted processing or been erased — their details and comment as they are now."""
    body = json.loads(json.dumps(item.payload))
    respondent = item.case.respondent
    if endpoint.allows_personal_data and respondent is not None and not respondent.is_frozen and not item.case.anonymised_at:
        body["data"]["respondent"] = person_out(respondent).model_dump(mode="json")
        body["data"]["comment"] = item.case.response.comment
        if item.event_type == "contact.logged":
            contact = item.case.contacts.filter(pk=item.event.data.get("contact")).first()
            if contact is not None:
                body["data"]["event"]["details"]["summary"] = contact.summary
    return body


def _delivered(item: WebhookDelivery, endpoint: WebhookEndpoint, status: int) -> str:
    with transaction.atomic():
        # Only the holder of a still-waiting delivery records it: a worker whose lease ran out while
        # it waited for an answer does not record the same delivery twice.
        WebhookDelivery.objects.filter(pk=item.pk, status=PENDING).update(
            status=WebhookDeliveryStatus.DELIVERED, delivered_at=timezone.now(), last_status_code=status,
            last_error="", claimed_until=None, next_attempt_at=None,
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
    return "delivered"


def _failed(item: WebhookDelivery, endpoint: WebhookEndpoint, error: str, status: int | None, now) -> str:
    error = error[:1000]
    with transaction.atomic():
        if item.attempts >= settings.CASEWORK_WEBHOOK_ATTEMPTS:
            outcome = "failed"
            fields = {"status": WebhookDeliveryStatus.FAILED, "next_attempt_at": None}
        else:
            outcome = "retry"
            # 30 s, 1, 2, 4 … minutes (by default), at most six hours apart.
            wait = datetime.timedelta(seconds=settings.CASEWORK_WEBHOOK_RETRY_SECONDS * 2 ** (item.attempts - 1))
            fields = {"next_attempt_at": now + min(wait, MAX_BACKOFF)}
        WebhookDelivery.objects.filter(pk=item.pk, status=PENDING).update(
            last_error=error, last_status_code=status, claimed_until=None, **fields
        )
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
        failures = WebhookEndpoint.objects.values_list("consecutive_failures", flat=True).get(pk=endpoint.pk)
        if failures >= settings.CASEWORK_WEBHOOK_PAUSE_AFTER and _pause(endpoint, now):
            transaction.on_commit(lambda: tell_owner(endpoint.pk, failures, error))
            outcome = "paused"
    return outcome


def _pause(endpoint: WebhookEndpoint, now) -> bool:
    """True for the one worker whose failure paused it (and so tells the owner)."""
    return bool(WebhookEndpoint.objects.filter(pk=endpoint.pk, paused_at__isnull=True).update(paused_at=now))


def tell_owner(endpoint_id: int, failures: int, last_error: str) -> None:
    endpoint = WebhookEndpoint.objects.select_related("owner").get(pk=endpoint_id)
    owner = endpoint.owner
    logger.warning("Webhook endpoint %s paused after %s failures in a row: %s", endpoint.name, failures, last_error)
    if owner is None or not owner.email or not owner.is_active:
        return
    context = {
        "endpoint": endpoint, "failures": failures, "last_error": last_error,
        "admin_url": settings.CASEWORK_BASE_URL + reverse("admin:integrations_webhookendpoint_change", args=[endpoint.pk]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("integrations/email/endpoint_paused_subject.txt", context).split())
        body = render_to_string("integrations/email/endpoint_paused.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[owner.email]).send()
    except OSError:
        logger.exception("Telling %s that endpoint %s was paused failed", owner, endpoint.name)


def resume(endpoint: WebhookEndpoint) -> None:
    """An administrator fixed the receiver: its waiting deliveries go out again, in order."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(paused_at=None, consecutive_failures=0)
        now = timezone.now()
        waiting = WebhookDelivery.objects.filter(endpoint=endpoint, status=PENDING)
        waiting.update(next_attempt_at=now)
        chains = sorted(set(waiting.values_list("endpoint_id", "case_id")))
        transaction.on_commit(lambda: [enqueue_chain(*chain) for chain in chains])


def retry(item: WebhookDelivery) -> bool:
    """Someone asked to send it again now: a delivery that gave up starts over; a waiting one is tried
    now instead of at its next time. A delivered one stays delivered (its id was received once)."""
    now = timezone.now()
    with transaction.atomic():
        changed = (
            WebhookDelivery.objects.filter(pk=item.pk)
            .filter(Q(status=WebhookDeliveryStatus.FAILED) | Q(status=PENDING, claimed_until__isnull=True) | Q(status=PENDING, claimed_until__lt=now))
            .update(status=PENDING, next_attempt_at=now, claimed_until=None, attempts=0)
        )
        if changed:
            transaction.on_commit(lambda: enqueue_chain(item.endpoint_id, item.case_id))
    return bool(changed)


def new_signing_secret() -> str:
    """A Standard Webhooks secret: whsec_ and 32 random bytes in base64 (what receivers' libraries take)."""
    return STANDARD_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def rotate_secret(endpoint: WebhookEndpoint) -> str:
    """A new secret, returned once; deliveries from now on are signed with it."""
    secret = new_signing_secret()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    endpoint.secret = secret
    return secret
