"""The requests log: every request a respondent makes under the GDPR, with its answer deadline."""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.feedback.models import Respondent


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31 January + 1 month is
    28 or 29 February), so a deadline is never later than the law allows."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class RequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RequestStatus.OPEN)

    def most_urgent_first(self):
        return self.annotate(effective_due=Coalesce("extended_due_on", "due_on")).order_by("effective_due", "received_on", "pk")


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access")
    PORTABILITY = "portability", _("Portability")
    RECTIFICATION = "rectification", _("Rectification")
    RESTRICTION = "restriction", _("Restriction")
    OBJECTION = "objection", _("Objection")
    ERASURE = "erasure", _("Erasure")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    DONE = "done", _("Handled")
    REFUSED = "refused", _("Refused")


class RequestAction(models.TextChoices):
    EXPORTED = "exported", _("Data exported")
    RECTIFIED = "rectified", _("Details corrected")
    RESTRICTED = "restricted", _("Processing restricted")
    LIFTED = "lifted", _("Restriction lifted")
    OBJECTED = "objected", _("Objection recorded")
    ERASED = "erased", _("Personal data erased")


class RequestChannel(models.TextChoices):
    DESK = "desk", _("Privacy desk")
    COMMAND = "command", _("Command line")
    OPT_OUT = "opt-out", _("Opt-out link in an e-mail")


class PrivacyRequest(models.Model):
    """GDPR Art. 12(3): an answer within one month of receipt, extendable once by two further months
    when the request is complex or there are many, with the reason told to the person."""

    Kind = RequestKind
    Status = RequestStatus
    Action = RequestAction
    Channel = RequestChannel

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    respondent = models.ForeignKey(
        Respondent, on_delete=models.PROTECT, related_name="privacy_requests", verbose_name=_("respondent")
    )
    received_on = models.DateField(_("received"))
    due_on = models.DateField(_("answer due"))
    extended_due_on = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("extended by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    action = models.CharField(_("what was done"), max_length=15, choices=Action.choices, blank=True)
    # For a rectification: the names of the fields that changed, never their old values.
    fields = models.JSONField(_("fields changed"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    channel = models.CharField(_("recorded through"), max_length=10, choices=Channel.choices, default=Channel.DESK)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handled by")
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=RequestKind.values), name="privacy_request_kind_valid"),
            models.CheckConstraint(condition=models.Q(status__in=RequestStatus.values), name="privacy_request_status_valid"),
            models.CheckConstraint(
                condition=models.Q(status=RequestStatus.OPEN) | models.Q(handled_at__isnull=False), name="privacy_request_closed_has_time"
            ),
            models.CheckConstraint(
                condition=models.Q(extended_due_on__isnull=True) | ~models.Q(extension_reason=""),
                name="privacy_request_extension_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=models.Q(status=RequestStatus.OPEN), name="privacy_request_open_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.received_on}"

    @property
    def deadline(self) -> datetime.date:
        return self.extended_due_on or self.due_on

    @property
    def deadline_moment(self) -> datetime.datetime:
        """The end of the deadline day in the site's time zone, for "due in 3 days" / "overdue"."""
        next_day = datetime.datetime.combine(self.deadline + datetime.timedelta(days=1), datetime.time.min)
        return timezone.make_aware(next_day)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
