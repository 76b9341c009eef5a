"""The closing-the-loop message, kept as sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.cases.models import Case
from casework.feedback.models import Respondent


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SUPPRESSED = "suppressed", _("Suppressed")
    # The respondent's mail server sent it back (a delivery status notification, replies.py).
    BOUNCED = "bounced", _("Bounced")


class Notification(models.Model):
    Status = NotificationStatus

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("case"))
    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("respondent"),
    )
    recipient = models.EmailField(_("recipient"), blank=True)
    locale = models.CharField(_("language"), max_length=10, default="en")
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    suppressed_reason = models.CharField(_("why suppressed"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    queued_at = models.DateTimeField(_("queued"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    # When the outbox should (re)try next, and until when a worker holds it: a second worker skips a
    # notification another one is sending.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-queued_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=NotificationStatus.values), name="notification_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=NotificationStatus.SENT) | models.Q(sent_at__isnull=False),
                name="notification_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=NotificationStatus.SUPPRESSED) | ~models.Q(suppressed_reason=""),
                name="notification_suppressed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="notification_status_idx"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
        ]

    def __str__(self):
        return f"{self.case} · {self.get_status_display()}"


class EmailTemplateQuerySet(models.QuerySet):
    def default_for(self, team, locale: str):
        """The template the composer starts from: the team's default for the language, else
        everyone's, else the site language's."""
        defaults = self.filter(is_active=True, is_default=True)
        for candidates in (
            defaults.filter(team=team, locale=locale),
            defaults.filter(team__isnull=True, locale=locale),
            defaults.filter(team__isnull=True, locale=settings.LANGUAGE_CODE),
        ):
            template = candidates.first()
            if template is not None:
                return template
        return None


class EmailTemplate(models.Model):
    """A closing-the-loop e-mail per language, edited by administrators. Only the placeholders in
    templating.PLACEHOLDERS may appear; the text is never run as a Django template. The composer starts
    from the default for the respondent's language — the team's own if it has one — never from
    whichever template happens to come first."""

    name = models.CharField(_("name"), max_length=100)
    locale = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    is_active = models.BooleanField(_("active"), default=True)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("The composer starts from this one for its language (and team).")
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="email_templates",
        verbose_name=_("team"), help_text=_("Leave empty for every team."),
    )

    objects = EmailTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "locale"]
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        constraints = [
            models.UniqueConstraint(fields=["name", "locale"], name="email_template_once_per_locale"),
            # One default per language for everyone, and at most one per language for each team.
            models.UniqueConstraint(
                fields=["locale"], condition=models.Q(is_default=True, team__isnull=True), name="email_template_one_default"
            ),
            models.UniqueConstraint(
                fields=["locale", "team"], condition=models.Q(is_default=True, team__isnull=False), name="email_template_one_team_default"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.locale})"

    def clean(self):
        from .templating import check_placeholders

        check_placeholders(subject=self.subject, body=self.body)


class StaffEmailKind(models.TextChoices):
    ASSIGNMENT = "assignment", _("New assignment")
    DIGEST = "digest", _("Overdue digest")


class StaffEmail(models.Model):
    """A message to a member of staff, recorded once it is sent so that it is never sent twice: an
    assignment (the Event it reports) or a day's overdue digest."""

    Kind = StaffEmailKind

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.OneToOneField("cases.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    day = models.DateField(_("day"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff e-mail")
        verbose_name_plural = _("staff e-mails")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], condition=models.Q(kind=StaffEmailKind.DIGEST), name="staff_digest_once_a_day")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.user}"
