"""The state of each periodic job, shared by every worker: when it is due next and who holds it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """One row per job of settings.CASEWORK_PERIODIC_JOBS. A worker runs a job only after moving
    `locked_until` forward in a conditional UPDATE, which one worker wins on SQLite and PostgreSQL
    alike; a worker that dies loses the lease when it runs out, and another takes the job over."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    schedule = models.CharField(_("schedule (cron)"), max_length=100)
    next_run_at = models.DateTimeField(_("next run"))
    locked_until = models.DateTimeField(_("held until"), null=True, blank=True)
    locked_by = models.CharField(_("held by worker"), max_length=64, blank=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_outcome = models.CharField(_("last outcome"), max_length=500, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self):
        return self.name
