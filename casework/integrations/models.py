"""Outbound webhooks: the endpoints an administrator registers and the outbox of deliveries to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEventType(models.TextChoices):
    CASE_OPENED = "case.opened", _("Case opened")
    CASE_ASSIGNED = "case.assigned", _("Case assigned")
    CASE_STATUS_CHANGED = "case.status_changed", _("Case status changed")
    CONTACT_LOGGED = "contact.logged", _("Contact logged")
    NOTIFICATION_SENT = "notification.sent", _("Closing e-mail sent")
    NOTIFICATION_FAILED = "notification.failed", _("Closing e-mail failed")
    PRIVACY_ACTION = "privacy.action", _("Privacy action")


class WebhookDeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Gave up")


class WebhookEndpoint(models.Model):
    """A receiver another system runs. The secret is kept as it is (signing needs the key itself) and
    shown once, when it is made. Personal data goes out only where an administrator allowed it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    url = models.URLField(_("URL"), max_length=2000, help_text=_("http:// or https://; private and loopback addresses are refused."))
    secret = models.CharField(_("signing secret"), max_length=200, editable=False)
    event_types = models.JSONField(_("events"), default=list, blank=True)
    allows_personal_data = models.BooleanField(
        _("may receive personal data"),
        default=False,
        help_text=_("Adds the respondent's name, e-mail, company and comment, and contact notes. Leave off unless the receiver is allowed to hold them."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner"), help_text=_("Told by e-mail when the endpoint is paused."),
    )
    # Failed attempts in a row, over all its deliveries; any success starts the count again.
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0, editable=False)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return self.name

    def clean(self):
        from .addresses import AddressRefused, check_url

        unknown = set(self.event_types or []) - set(WebhookEventType.values)
        if not isinstance(self.event_types, list) or unknown:
            raise ValidationError({"event_types": _("Choose events from the list.")})
        try:
            check_url(self.url, resolve=False)
        except AddressRefused as error:
            raise ValidationError({"url": str(error)}) from None


class WebhookDelivery(models.Model):
    """One event for one endpoint: written in the transaction that records the Event, sent after
    commit by a worker. `message_id` is the `webhook-id` header, the same on every attempt, so a
    receiver that keeps the ids it has seen processes each event exactly once. The payload holds
    facts only; personal data (where allowed) is added when it is sent, from the record as it is
    then, so an erasure in between leaves nothing of the person in the outbox or on the wire."""

    Status = WebhookDeliveryStatus

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint"))
    event = models.ForeignKey("cases.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("event"))
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    message_id = models.CharField(_("webhook-id"), max_length=40, unique=True)
    event_type = models.CharField(_("event"), max_length=30, choices=WebhookEventType.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=WebhookDeliveryStatus.choices, default=WebhookDeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued"), db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Until when a worker holds it; a worker that dies mid-delivery loses it when this passes.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once_per_event"),
            models.CheckConstraint(condition=models.Q(status__in=WebhookDeliveryStatus.values), name="webhook_delivery_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=WebhookDeliveryStatus.DELIVERED) | models.Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
        ]
        indexes = [
            # The worker reads the due ones, and a case's earlier ones still waiting (order per case).
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="webhook_delivery_due_idx"),
            models.Index(fields=["endpoint", "case", "status"], name="webhook_delivery_chain_idx"),
        ]

    def __str__(self):
        return f"{self.endpoint} · {self.event_type} · {self.message_id}"
