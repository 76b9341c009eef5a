"""Records of the insights app: each "you said, we did" run, and the cases it told."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.cases.models import Case, Tag
from casework.outreach.models import Notification


class Announcement(models.Model):
    """One "you said, we did" run: who sent which message to the people behind a root cause, and what
    became of it. The token comes from the confirmation form, so a second click finds this run
    instead of sending again."""

    token = models.UUIDField(unique=True, editable=False)
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="+", verbose_name=_("root-cause tag"))
    product = models.CharField(_("product"), max_length=100, blank=True)
    first_day = models.DateField(_("opened from"))
    last_day = models.DateField(_("opened until"))
    locale = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    close_resolved = models.BooleanField(_("close resolved cases"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    concerned = models.PositiveIntegerField(_("people concerned"), default=0)
    queued = models.PositiveIntegerField(_("e-mails queued"), default=0)
    # Left out while sending (restricted a moment before): no notification exists for them.
    suppressed = models.PositiveIntegerField(_("left out while sending"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("“you said, we did” message")
        verbose_name_plural = _("“you said, we did” messages")

    def __str__(self):
        return f"{self.tag} · {self.created_at:%Y-%m-%d}"


class AnnouncementCase(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="recipients")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("case told")
        verbose_name_plural = _("cases told")
        constraints = [models.UniqueConstraint(fields=["announcement", "case"], name="announcement_case_once")]

    def __str__(self):
        return f"{self.announcement} → {self.case}"


class WeeklyFiguresEmail(models.Model):
    """The Monday figures e-mail, recorded before it is sent so that it never goes twice in a week."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week from"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("weekly figures e-mail")
        verbose_name_plural = _("weekly figures e-mails")
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="weekly_figures_once_a_week")]

    def __str__(self):
        return f"{self.user} · {self.week}"
