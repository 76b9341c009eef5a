"""A mistake in the job registry is reported by `manage.py check` (and so at every start), not at
three in the morning when the job was due."""

from cronsim import CronSim, CronSimError
from django.conf import settings
from django.core.checks import Error, register
from django.utils import timezone
from django.utils.module_loading import import_string


@register()
def check_periodic_jobs(app_configs=None, **kwargs):
    errors = []
    jobs = getattr(settings, "CASEWORK_PERIODIC_JOBS", {})
    for name, entry in jobs.items():
        if not (isinstance(entry, tuple | list) and len(entry) == 2):
            errors.append(Error(f"Periodic job {name!r} must be (cron expression, dotted path).", id="scheduling.E001"))
            continue
        schedule, path = entry
        try:
            CronSim(schedule, timezone.now())
        except CronSimError as problem:
            errors.append(Error(f"Periodic job {name!r}: bad schedule {schedule!r}: {problem}", id="scheduling.E002"))
        try:
            function = import_string(path)
        except ImportError as problem:
            errors.append(Error(f"Periodic job {name!r}: cannot import {path!r}: {problem}", id="scheduling.E003"))
            continue
        if not callable(function):
            errors.append(Error(f"Periodic job {name!r}: {path!r} is not a function.", id="scheduling.E004"))
    return errors
