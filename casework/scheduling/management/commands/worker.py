import signal
import sys
import threading

from django.core.management.base import BaseCommand
from django.tasks import task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from casework.scheduling.scheduler import run_due_jobs, run_forever

# How long a stopping worker waits for a periodic job that is still running; after that the job's
# lease runs out and another worker finishes it (every job resumes where it stopped).
STOP_GRACE_SECONDS = 30


class Command(BaseCommand):
    help = (
        "Run the background worker: the task queue (closing e-mails, CSV imports) and the periodic jobs of "
        "settings.CASEWORK_PERIODIC_JOBS (escalation, outbox retries, staff e-mail, retention). Start one or more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default", help="Task queues to run, comma-separated (default: default).")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at an empty task queue.")
        parser.add_argument("--poll", type=float, default=15.0, help="Seconds between looks for due periodic jobs.")
        parser.add_argument("--no-jobs", action="store_true", help="Run only the task queue, no periodic jobs.")
        parser.add_argument("--once", action="store_true", help="Run the due periodic jobs and the queued tasks once, then exit.")
        parser.add_argument("--worker-id", default="", help="A name unique among the running workers (default: random).")

    def handle(self, *args, queue_name, interval, poll, no_jobs, once, worker_id, **options):
        worker_id = worker_id or get_random_string(16)
        queue = self._task_worker(queue_name, interval, worker_id, batch=once)
        if once:
            outcomes = {} if no_jobs else run_due_jobs(worker_id=worker_id)
            for name, outcome in outcomes.items():
                self.stdout.write(f"{name}: {outcome}")
            if queue is not None:
                queue.run()
            return
        self.stdout.write(
            f"Worker {worker_id}: "
            + ("task queue " + queue_name if queue else "no task queue (TASKS_BACKEND runs tasks in the web process)")
            + ("" if no_jobs else ", periodic jobs")
            + ". Ctrl+C stops it."
        )
        self.stdout.flush()
        stop = threading.Event()
        jobs = None
        if not no_jobs:
            # A daemon thread: a job still running after the grace period must not keep the process alive.
            jobs = threading.Thread(
                target=run_forever, kwargs={"worker_id": worker_id, "stop": stop, "poll_seconds": poll}, daemon=True
            )
            jobs.start()
        try:
            if queue is not None:
                queue.configure_signals()
                queue.run()
            else:
                self._wait_for_signal(stop)
        finally:
            stop.set()
            if jobs is not None:
                jobs.join(STOP_GRACE_SECONDS)

    def _task_worker(self, queue_name, interval, worker_id, *, batch):
        """django-tasks-db's own worker loop, when tasks go to the database; None when they run in-process."""
        if not isinstance(task_backends["default"], DatabaseBackend):
            return None
        return Worker(
            queue_names=queue_name.split(","), interval=interval, batch=batch, backend_name="default",
            startup_delay=not batch, max_tasks=None, worker_id=worker_id[:64], excluded_queue_names=[],
        )

    def _wait_for_signal(self, stop):
        def shutdown(signum, frame):
            if stop.is_set():
                sys.exit(1)  # a second Ctrl+C: stop now
            stop.set()

        for name in ("SIGINT", "SIGTERM"):
            signal.signal(getattr(signal, name), shutdown)
        while not stop.wait(1):
            pass
