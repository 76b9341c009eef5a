"""Periodic jobs (escalation, outbox retries, staff e-mail, retention, ...) run by `manage.py worker`.

The jobs are declared in one place, settings.CASEWORK_PERIODIC_JOBS, as `name: (cron expression,
dotted path of a function)`; the cron expression is read in settings.TIME_ZONE. Several workers may
run at once (one per server, or a new one starting while an old one stops): each job is claimed with a
lease in the ScheduledJob table before it runs, so only one of them runs it, and a worker that dies
mid-job frees it when the lease runs out. A run that was missed while no worker was up happens once
when the next worker starts, not once per missed tick."""

import datetime
import logging
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cronsim import CronSim
from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from casework.logs import REQUEST_ID, new_id

from .models import ScheduledJob

LEASE = datetime.timedelta(minutes=2)
# The lease is renewed this often while a job runs, so a long job (retention over a big backlog)
# keeps it, and a crashed worker's job is free again within one lease.
HEARTBEAT_SECONDS = 30
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    schedule: str
    path: str

    def next_after(self, moment: datetime.datetime) -> datetime.datetime:
        local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
        return next(CronSim(self.schedule, local)).astimezone(datetime.UTC)

    def call(self):
        return import_string(self.path)()


def registered_jobs() -> list[Job]:
    return [Job(name, schedule, path) for name, (schedule, path) in settings.CASEWORK_PERIODIC_JOBS.items()]


def run_due_jobs(*, worker_id: str, now: datetime.datetime | None = None, stop: threading.Event | None = None) -> dict[str, str]:
    """Runs every job whose time has come and that no other worker holds; returns {name: outcome}."""
    outcomes = {}
    for job in registered_jobs():
        if stop is not None and stop.is_set():
            break
        moment = now or timezone.now()
        if _claim(job, worker_id, moment):
            outcomes[job.name] = _run_claimed(job, worker_id)
    return outcomes


def _claim(job: Job, worker_id: str, now: datetime.datetime) -> bool:
    state, created = ScheduledJob.objects.get_or_create(
        name=job.name, defaults={"schedule": job.schedule, "next_run_at": job.next_after(now)}
    )
    if not created and state.schedule != job.schedule:
        # The schedule was edited in settings: the next run follows the new one.
        ScheduledJob.objects.filter(name=job.name).update(schedule=job.schedule, next_run_at=job.next_after(now))
        return False
    return bool(
        ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(locked_until=now + LEASE, locked_by=worker_id, last_started_at=now)
    )


def _run_claimed(job: Job, worker_id: str) -> str:
    done = threading.Event()
    heartbeat = threading.Thread(target=_keep_lease, args=(job.name, worker_id, done), daemon=True)
    heartbeat.start()
    started = time.monotonic()
    error = ""
    # The run's own id on every line it logs, and on the tasks it queues.
    run_id = REQUEST_ID.set(new_id(f"job-{job.name[:30]}-"))
    try:
        result = job.call()
        outcome = "done" if result is None else str(result)
    except Exception as failure:  # noqa: BLE001 - one failing job must not stop the others; the log has the traceback
        logger.exception("Periodic job %s failed", job.name)
        outcome, error = "failed", f"{type(failure).__name__}: {failure}"[:1000]
    finally:
        done.set()
        heartbeat.join()
    finished = timezone.now()
    logger.info("Periodic job %s: %s (%.1f s)", job.name, outcome[:200], time.monotonic() - started)
    REQUEST_ID.reset(run_id)
    ScheduledJob.objects.filter(name=job.name, locked_by=worker_id).update(
        next_run_at=job.next_after(finished),
        locked_until=None,
        locked_by="",
        last_finished_at=finished,
        last_outcome=outcome[:500],
        last_error=error,
    )
    return outcome


def _keep_lease(name: str, worker_id: str, done: threading.Event) -> None:
    try:
        while not done.wait(HEARTBEAT_SECONDS):
            ScheduledJob.objects.filter(name=name, locked_by=worker_id).update(locked_until=timezone.now() + LEASE)
    finally:
        connections.close_all()


def run_forever(*, worker_id: str, stop: threading.Event, poll_seconds: float = 15) -> None:
    """The scheduler loop of `manage.py worker`: looks for due jobs every `poll_seconds` until `stop`."""
    logger.info("Periodic jobs: %s", ", ".join(f"{job.name} ({job.schedule})" for job in registered_jobs()))
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                run_due_jobs(worker_id=worker_id, stop=stop)
            except Exception:  # noqa: BLE001 - e.g. the database restarting; try again on the next round
                logger.exception("Looking for due periodic jobs failed")
            stop.wait(poll_seconds)
    finally:
        connections.close_all()
