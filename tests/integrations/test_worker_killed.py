"""Exactly once per event id when a worker dies mid-delivery: a real worker process is killed (SIGKILL)
while the receiver holds its request open; nobody sends the delivery while the dead worker's lease
lasts, and once it runs out the next worker sends it again under the same webhook-id, then the case's
next delivery — never before it — and nothing more after that."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

ROOT = Path(__file__).resolve().parents[2]
LEASE = 300  # seconds: far longer than a worker process takes to start on a busy machine
SETUP = """
import datetime
from django.utils import timezone
from casework.cases import opening, workflow
from casework.feedback.models import Response, Source
from casework.integrations.delivery import new_signing_secret
from casework.integrations.models import WebhookEndpoint
from casework.teams.models import Team
team = Team.objects.create(name="Payroll", slug="payroll")
source = Source.objects.create(name="Survey", slug="survey")
endpoint = WebhookEndpoint.objects.create(name="CRM", url="{url}", secret=new_signing_secret(), event_types=["case.opened", "case.status_changed"])
response = Response.objects.create(source=source, external_id="r-1", metric="nps", score=2, answered_at=timezone.now(), product="Payroll")
case = opening.open_case(response=response, team=team, priority=2)
workflow.change_status(case=case, to="in_progress")
print(endpoint.secret)
"""


def _env(var):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return {**env, "DEBUG": "true", "CASEWORK_VAR_DIR": str(var), "TASKS_BACKEND": "database", "PYTHONUNBUFFERED": "1",
            "CASEWORK_WEBHOOKS_ALLOW_PRIVATE": "true", "CASEWORK_WEBHOOK_LEASE_SECONDS": str(LEASE), "CASEWORK_WEBHOOK_TIMEOUT_SECONDS": "20"}


def _manage(var, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_env(var), check=True, capture_output=True, text=True, **kwargs)


def test_a_killed_workers_delivery_is_sent_again_once_under_the_same_id(tmp_path, receiver):
    _manage(tmp_path, "migrate", "--no-input")
    secret = _manage(tmp_path, "shell", "-c", SETUP.format(url=receiver.url)).stdout.strip().splitlines()[-1]
    receiver.hold = threading.Event()

    doomed = subprocess.Popen([sys.executable, "manage.py", "send_webhooks"], cwd=ROOT, env=_env(tmp_path),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert receiver.arrived.wait(60), "the first worker never called"
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
    finally:
        doomed.kill()
    receiver.hold.set()
    receiver.hold = None

    # While the dead worker's lease lasts, another worker sends nothing: not the delivery, and not the
    # case's next one either (order per case).
    assert "skipped" in _manage(tmp_path, "send_webhooks").stdout
    assert len(receiver.requests) == 1
    with sqlite3.connect(tmp_path / "casework.sqlite3") as db:
        # The dead worker's claim holds; then its lease runs out (moved back rather than waited for).
        assert db.execute("SELECT attempts, claimed_until > datetime('now') FROM integrations_webhookdelivery ORDER BY id").fetchall() == [(1, 1), (0, None)]
        db.execute("UPDATE integrations_webhookdelivery SET claimed_until = datetime('now', '-1 second') WHERE claimed_until IS NOT NULL")

    assert "delivered: 2" in _manage(tmp_path, "send_webhooks").stdout
    assert "nothing due" in _manage(tmp_path, "send_webhooks").stdout
    ids = receiver.ids()
    assert len(ids) == 3 and ids[0] == ids[1] != ids[2]
    assert [body["type"] for body in receiver.bodies()] == ["case.opened", "case.opened", "case.status_changed"]
    for headers, body, _path in receiver.requests:
        Webhook(secret).verify(body, headers)
    # A receiver that keeps the ids it has processed (as Standard Webhooks asks) acts on each event once.
    processed = {headers["webhook-id"]: json.loads(body)["type"] for headers, body, _path in receiver.requests}
    assert sorted(processed.values()) == ["case.opened", "case.status_changed"]
    with sqlite3.connect(tmp_path / "casework.sqlite3") as db:
        rows = db.execute("SELECT event_type, status, attempts FROM integrations_webhookdelivery ORDER BY id").fetchall()
    assert rows == [("case.opened", "delivered", 2), ("case.status_changed", "delivered", 1)]
