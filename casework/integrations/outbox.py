"""The outbound webhooks' outbox. Every Event passes here in the transaction that records it
(workflow.record_events calls `queue_deliveries`), so a delivery exists exactly when its Event does:
a rollback takes both away, and a crash after commit loses neither. The payload keeps facts only."""

import uuid

from django.db import transaction
from django.utils import timezone

from casework.cases.models import Case, Event

from . import delivery
from .models import WebhookDelivery, WebhookEndpoint, WebhookEventType
from .representation import EventReader, WebhookData, WebhookPayload, case_out

SIMPLE_TYPES = {
    Event.Kind.OPENED: WebhookEventType.CASE_OPENED,
    Event.Kind.ASSIGNED: WebhookEventType.CASE_ASSIGNED,
    Event.Kind.STATUS: WebhookEventType.CASE_STATUS_CHANGED,
    Event.Kind.CONTACT: WebhookEventType.CONTACT_LOGGED,
    Event.Kind.PRIVACY: WebhookEventType.PRIVACY_ACTION,
}
NOTIFICATION_TYPES = {
    "sent": WebhookEventType.NOTIFICATION_SENT,
    "failed": WebhookEventType.NOTIFICATION_FAILED,
    "bounced": WebhookEventType.NOTIFICATION_FAILED,
}


def event_type(event: Event) -> str | None:
    if event.kind == Event.Kind.NOTIFICATION:
        return NOTIFICATION_TYPES.get((event.data or {}).get("status"))
    return SIMPLE_TYPES.get(event.kind)


def queue_deliveries(events: list[Event]) -> list[WebhookDelivery]:
    typed = [(event, kind) for event in events if (kind := event_type(event))]
    if not typed:
        return []  # notes, tags, ...: not even a query
    endpoints = [endpoint for endpoint in WebhookEndpoint.objects.filter(is_active=True) if endpoint.event_types]
    wanted = [(event, kind, endpoint) for event, kind in typed for endpoint in endpoints if kind in endpoint.event_types]
    if not wanted:
        return []
    # The case as it stands at this point of the transaction: what the change made of it.
    cases = Case.objects.select_related("team", "assignee").prefetch_related("tags").in_bulk({event.case_id for event, *_ in wanted})
    reader = EventReader([event for event, *_ in wanted], with_text=False)
    now = timezone.now()
    payloads = {}
    for event, kind, _endpoint in wanted:
        if event.pk not in payloads:
            payload = WebhookPayload(type=kind, timestamp=event.created_at, data=WebhookData(case=case_out(cases[event.case_id]), event=reader.out(event)))
            payloads[event.pk] = payload.model_dump(mode="json", exclude_none=True)
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint, event=event, case_id=event.case_id, message_id=f"msg_{uuid.uuid4().hex}", event_type=kind,
                payload=payloads[event.pk], created_at=now, next_attempt_at=now,
            )
            for event, kind, endpoint in wanted
        ]
    )
    chains = sorted({(item.endpoint_id, item.case_id) for item in deliveries})
    transaction.on_commit(lambda: [delivery.enqueue_chain(endpoint_id, case_id) for endpoint_id, case_id in chains])
    return deliveries
