"""Trigger rules and the product/country routing table."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.cases.lifecycle import Priority
from casework.feedback.metrics import SCORE_RANGES, Metric
from casework.teams.models import Team


class RuleHasComment(models.TextChoices):
    ANY = "", _("Either")
    YES = "yes", _("Only with a comment")
    NO = "no", _("Only without a comment")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded, not started")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Rule(models.Model):
    """Conditions on a new response and the case to open when they all hold. Rules are tried in
    `position` order and the first that matches wins."""

    HasComment = RuleHasComment

    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    metric = models.CharField(_("metric"), max_length=4, choices=Metric.choices, blank=True)
    score_min = models.SmallIntegerField(_("lowest score"), null=True, blank=True)
    score_max = models.SmallIntegerField(_("highest score"), null=True, blank=True)
    product = models.CharField(_("product"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    has_comment = models.CharField(_("comment"), max_length=3, choices=HasComment.choices, blank=True)
    keywords = models.TextField(
        _("comment keywords"),
        blank=True,
        help_text=_("Comma-separated words; the rule matches when the comment contains any of them."),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("team"),
        help_text=_("Leave empty to route by product and country."),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    first_contact_hours = models.PositiveIntegerField(_("first contact within (hours)"), default=48)
    resolution_hours = models.PositiveIntegerField(_("resolution within (hours)"), default=240)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("trigger rule")
        verbose_name_plural = _("trigger rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score_min__isnull=True)
                | models.Q(score_max__isnull=True)
                | models.Q(score_min__lte=models.F("score_max")),
                name="rule_score_range_ordered",
            ),
            models.CheckConstraint(condition=models.Q(priority__in=Priority.values), name="rule_priority_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.metric and self.metric in SCORE_RANGES:
            low, high = SCORE_RANGES[self.metric]
            for field in ("score_min", "score_max"):
                value = getattr(self, field)
                if value is not None and not low <= value <= high:
                    raise ValidationError(
                        {field: _("Scores for this metric run from %(low)s to %(high)s.") % {"low": low, "high": high}}
                    )


class Route(models.Model):
    """Which team takes a product's cases, optionally per country. The most specific route wins."""

    product = models.CharField(_("product"), max_length=100)
    country = models.CharField(_("country"), max_length=2, blank=True)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="routes", verbose_name=_("team"))

    class Meta:
        ordering = ["product", "country"]
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        constraints = [models.UniqueConstraint(fields=["product", "country"], name="route_once_per_product_country")]

    def __str__(self):
        return f"{self.product} {self.country or '*'} → {self.team}"


class Import(models.Model):
    """One uploaded CSV file and how its import went. The file itself is deleted once imported:
    it is full of personal data and everything worth keeping is in the database by then."""

    Status = ImportStatus

    source = models.ForeignKey("feedback.Source", on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), upload_to="imports/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    bytes_done = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    duplicates = models.PositiveIntegerField(_("already imported"), default=0)
    invalid = models.PositiveIntegerField(_("refused"), default=0)
    cases = models.PositiveIntegerField(_("cases opened or joined"), default=0)
    problem_count = models.PositiveIntegerField(_("problems"), default=0)
    failure = models.TextField(_("why it failed"), blank=True)
    # The row errors are stored as text, so they are written in the language of whoever started the
    # import — not the worker's, which has none.
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("CSV import")
        verbose_name_plural = _("CSV imports")

    def __str__(self):
        return self.file_name

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(100 * self.bytes_done / self.file_size)) if self.file_size else 0


class ImportProblem(models.Model):
    """A refused row of an import: the per-row error report."""

    csv_import = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField(_("row"))
    field = models.CharField(_("field"), max_length=100)
    message = models.CharField(_("message"), max_length=500)

    class Meta:
        ordering = ["row", "pk"]
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Waiting to be processed")
    PROCESSED = "processed", _("Processed")
    IGNORED = "ignored", _("Nothing to store")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One webhook delivery as it arrived, kept until it is processed so that nothing a tool sent is
    lost. The body holds personal data: it is emptied once the delivery has been processed, and kept
    (with the error) only while a delivery that could not be mapped waits for someone to fix the
    mapping and retry it."""

    Status = DeliveryStatus

    source = models.ForeignKey("feedback.Source", on_delete=models.CASCADE, related_name="+", verbose_name=_("source"))
    # The tool's id for this delivery (webhook-id, event_id): a second delivery with the same id is a replay.
    delivery_id = models.CharField(_("delivery id"), max_length=200)
    event = models.CharField(_("event"), max_length=50, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    body = models.BinaryField(_("body"), blank=True, default=b"")
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED)
    error = models.TextField(_("error"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["source", "delivery_id"], name="delivery_once_per_source"),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="delivery_status_idx")]

    def __str__(self):
        return f"{self.source} · {self.delivery_id}"
