"""`manage.py worker` as `make run` and production start it: a real process that runs the task queue
and the periodic jobs, and stops cleanly on Ctrl+C (SIGINT) or SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    var = tmp_path_factory.mktemp("worker-var")
    env = _env(var, "immediate")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True)
    return var


def _env(var, backend):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return {**env, "DEBUG": "true", "CASEWORK_VAR_DIR": str(var), "TASKS_BACKEND": backend, "PYTHONUNBUFFERED": "1"}


@pytest.mark.parametrize(
    ("backend", "stop_with"), [("immediate", signal.SIGINT), ("database", signal.SIGTERM)]
)
def test_the_worker_runs_until_told_to_stop(var_dir, backend, stop_with):
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--poll", "0.2", "--interval", "0.2"],
        cwd=ROOT, env=_env(var_dir, backend), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        first_line = worker.stdout.readline()
        assert first_line.startswith("Worker "), first_line
        assert ("task queue default" in first_line) == (backend == "database")
        assert "periodic jobs" in first_line
        time.sleep(1)
        assert worker.poll() is None  # still running
        worker.send_signal(stop_with)
        assert worker.wait(timeout=20) in (0, -stop_with)
    finally:
        worker.kill()
        worker.wait()
    import sqlite3

    with sqlite3.connect(var_dir / "casework.sqlite3") as db:
        names = {row[0] for row in db.execute("SELECT name FROM scheduling_scheduledjob")}
    assert {"escalate", "send-outbox"} <= names  # it looked at the registry and scheduled the jobs
