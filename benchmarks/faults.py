"""Fault scripts (not part of the test suite): what happens when things break in production.

    .venv/bin/python benchmarks/faults.py postgres-restart   # PostgreSQL restarted while a survey tool sends
    .venv/bin/python benchmarks/faults.py worker-kill        # the worker killed in the middle of an SMTP delivery
    .venv/bin/python benchmarks/faults.py smtp-down [--down-seconds 180]   # the mail server away for minutes
    .venv/bin/python benchmarks/faults.py disk-full          # the disk fills up while the import report is written
    .venv/bin/python benchmarks/faults.py all

Each runs the real processes (gunicorn, `manage.py worker`, `manage.py import_responses`) with production
settings against PostgreSQL, breaks something, and prints what it checked and PASS or FAIL. The databases are
made on the server at DATABASE_URL (default postgres://postgres@127.0.0.1:5432/casework_faults), from a
migrated template kept between runs; `postgres-restart` restarts a private PostgreSQL server it starts for
itself (so other users of the shared server are not disturbed), unless `--cluster 15/main` names a cluster
to restart with pg_ctlcluster. The SMTP server is a real one (aiosmtpd) on loopback.
"""

import argparse
import asyncio
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import urllib3

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
RESULTS: list[tuple[str, bool, str]] = []


def check(name, ok, detail=""):
    RESULTS.append((name, bool(ok), detail))
    print(f"  {'PASS' if ok else 'FAIL'}  {name}" + (f" — {detail}" if detail else ""), flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- databases -------------------------------------------------------------------------------------

def admin_execute(url, *statements):
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def fresh_database(base_url, suffix):
    """A new database cloned from the migrated template (made, or brought up to date, first)."""
    parts = urlsplit(base_url)
    template = parts.path.lstrip("/") + "_template"
    template_url = urlunsplit(parts._replace(path=f"/{template}"))
    try:
        admin_execute(base_url, f'CREATE DATABASE "{template}"')
    except Exception:  # noqa: BLE001 - it exists already
        pass
    manage(env_for(template_url), "migrate", "--no-input")
    name = f"{parts.path.lstrip('/')}_{suffix}"
    admin_execute(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return urlunsplit(parts._replace(path=f"/{name}")), template_url


def env_for(database_url, **extra):
    var = Path(tempfile.mkdtemp(prefix="casework-faults-"))
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="false", SECRET_KEY="faults-" + "k" * 40, ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false",
        CASEWORK_VAR_DIR=str(var), TASKS_BACKEND="database", DATABASE_URL=database_url, LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, check_ok=True):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check_ok, capture_output=True, text=True)


def shell(env, code):
    return manage(env, "shell", "--no-imports", "-c", code).stdout.strip().splitlines()


# --- a private PostgreSQL server that may be restarted freely ----------------------------------------

@contextmanager
def private_postgres():
    folder = Path(tempfile.mkdtemp(prefix="casework-pg-"))
    port = free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    subprocess.run([*as_postgres, str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"], check=True, capture_output=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=on"

    def pg_ctl(*args):
        return subprocess.run([*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", *args], check=True, capture_output=True)

    pg_ctl("start")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/casework", lambda: pg_ctl("restart", "-m", "fast")
    finally:
        pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)


# --- a real SMTP server ----------------------------------------------------------------------------

class Sink:
    """An SMTP server (aiosmtpd) that keeps what it accepted. `hold_first` seconds: the first message is
    held before the server answers 250 to its DATA — the window in which a worker is "mid-delivery". A
    message whose client went away before that answer is not accepted (the SMTP rule: not delivered
    until acknowledged)."""

    def __init__(self, port, hold_first=0.0):
        from aiosmtpd.controller import Controller

        self.port, self.hold_first, self.accepted, self.data_started = port, hold_first, [], threading.Event()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                held = sink.hold_first
                sink.hold_first = 0.0
                sink.data_started.set()
                if held:
                    await asyncio.sleep(held)
                    if server.transport is None or server.transport.is_closing():
                        return "451 client went away"
                message_id = re.search(rb"^Message-ID:\s*(\S+)", envelope.content, re.MULTILINE | re.IGNORECASE)
                sink.accepted.append(message_id.group(1).decode() if message_id else "?")
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


QUEUE_MAIL = """
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from casework.cases import opening
from casework.cases.models import Case
from casework.feedback.models import Respondent, Response, Source
from casework.outreach import sending
from casework.teams.models import Team
team, _ = Team.objects.get_or_create(slug="faults", defaults={{"name": "Faults"}})
source, _ = Source.objects.get_or_create(slug="faults", defaults={{"name": "Faults"}})
staff, _ = get_user_model().objects.get_or_create(username="faults-staff")
ids = []
for n in range({count}):
    person = Respondent.objects.create(email=f"person{{n}}@faults.example", name=f"Person {{n}}", country="LV")
    response = Response.objects.create(source=source, external_id=f"f-{{n}}-{{timezone.now().timestamp()}}", respondent=person,
        metric="nps", score=2, comment="slow", answered_at=timezone.now() - datetime.timedelta(hours=1), product="Faults")
    case = opening.open_case(response=response, team=team, priority=2)
    Case.objects.filter(pk=case.pk).update(action_summary="We fixed it.")
    case.refresh_from_db()
    ids.append(sending.queue_closing_notification(case=case, actor=staff, subject="We fixed it", body="Hello, we fixed it.", locale="en").message_id)
print(" ".join(ids))
"""
MAIL_STATE = """
from casework.outreach.models import Notification
for n in Notification.objects.order_by("pk"):
    print(n.message_id, n.status, n.attempts, n.sent_at.timestamp() if n.sent_at else 0)
"""


def mail_state(env):
    return [line.split() for line in shell(env, MAIL_STATE)]


def start_worker(env, log):
    return subprocess.Popen([PYTHON, "manage.py", "worker", "--interval", "0.2", "--poll", "1"], cwd=ROOT, env=env, stdout=log, stderr=log)


def wait_until(predicate, timeout, step=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


# --- the scenarios ---------------------------------------------------------------------------------

def worker_kill(args):
    print("\n== Worker killed in the middle of delivering a closing e-mail ==")
    url, _template = fresh_database(args.database_url, "worker_kill")
    port = free_port()
    env = env_for(url, SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS="false", SMTP_TIMEOUT=60,
                  CASEWORK_DELIVERY_LEASE_SECONDS=args.lease_seconds, CASEWORK_RETRY_SECONDS=5)
    log = open(Path(env["CASEWORK_VAR_DIR"]) / "worker.log", "w")
    with Sink(port, hold_first=30) as sink:
        [message_id] = shell(env, QUEUE_MAIL.format(count=1))[-1].split()
        worker = start_worker(env, log)
        reached = sink.data_started.wait(120)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        check("the worker was killed while the SMTP server held its DATA", reached, f"pid {worker.pid}, SIGKILL")
        time.sleep(1)
        check("nothing was accepted from the killed delivery", sink.accepted == [], f"accepted {len(sink.accepted)}")
        restarted = start_worker(env, log)
        try:
            # The dead worker's claim runs out after the lease; the outbox sweep (the worker's `send-outbox`
            # job every 5 minutes, or `manage.py send_outbox` from cron) then sends it. Run here at once.
            time.sleep(args.lease_seconds + 1)
            swept = manage(env, "send_outbox").stdout.strip()
            delivered = wait_until(lambda: len(sink.accepted) >= 1, 60)
            time.sleep(3)  # room for a second, wrong delivery to show up
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.wait(60)
        [[_id, status, attempts, _sent]] = mail_state(env)
        check("delivered after the restart", delivered and status == "sent", f"sweep: {swept}; status {status} after {attempts} attempts")
        check("delivered exactly once", sink.accepted.count(message_id) == 1 and len(sink.accepted) == 1, f"the SMTP server accepted {len(sink.accepted)} message(s)")


def smtp_down(args):
    print(f"\n== SMTP server down for {args.down_seconds} s while {args.mails} closing e-mails wait ==")
    url, _template = fresh_database(args.database_url, "smtp_down")
    port = free_port()  # nothing listens here until the server "comes back"
    env = env_for(url, SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS="false", SMTP_TIMEOUT=10,
                  CASEWORK_RETRY_SECONDS=args.retry_seconds, CASEWORK_DELIVERY_ATTEMPTS=args.attempts)
    log = open(Path(env["CASEWORK_VAR_DIR"]) / "worker.log", "w")
    ids = shell(env, QUEUE_MAIL.format(count=args.mails))[-1].split()
    worker = start_worker(env, log)
    try:
        time.sleep(args.down_seconds)
        during = mail_state(env)
        check("nothing was sent or given up while the server was down",
              all(status == "queued" for _id, status, _attempts, _sent in during),
              f"attempts so far per e-mail: {sorted({int(a) for _i, _s, a, _t in during})}")
        came_back = time.time()
        with Sink(port) as sink:
            # Backoff doubles from CASEWORK_RETRY_SECONDS, so the last retry may come as late as the outage again.
            done = wait_until(lambda: all(s == "sent" for _i, s, _a, _t in mail_state(env)), args.down_seconds + 120, step=2)
            time.sleep(3)
        after = mail_state(env)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
    waits = [float(sent) - came_back for _i, status, _a, sent in after if status == "sent"]
    check("every queued e-mail was delivered after the server came back", done and len(waits) == len(ids),
          f"{len(waits)}/{len(ids)} sent, the last {max(waits, default=0):.0f} s after it came back")
    duplicates = {message_id for message_id in sink.accepted if sink.accepted.count(message_id) > 1}
    check("each exactly once", sorted(sink.accepted) == sorted(ids) and not duplicates, f"the SMTP server accepted {len(sink.accepted)} for {len(ids)} e-mails")


SOURCE_AND_TOKEN = """
from casework.feedback.models import Source
from casework.feedback.tokens import create_api_token
source, _ = Source.objects.get_or_create(slug="faults-api", defaults={"name": "Faults API"})
print(create_api_token(source=source, label="faults")[1])
"""
STORED = """
from django.db.models import Count
from casework.feedback.models import Response
rows = Response.objects.filter(source__slug="faults-api", external_id__startswith="{prefix}")
print(rows.count(), rows.values("external_id").distinct().count())
"""


def postgres_restart(args):
    print(f"\n== PostgreSQL restarted while a survey tool sends {args.responses} responses ==")
    with private_postgres() if not args.cluster else _shared_cluster(args) as (url, restart):
        if not args.cluster:
            # The schema from the migrated template on the shared server.
            _url, template = fresh_database(args.database_url, "pg_restart_unused")
            admin_execute(url, "CREATE DATABASE casework")
            dump = subprocess.run([str(PG_BIN / "pg_dump"), "--no-owner", "-d", template.replace("postgres://", "postgresql://")], check=True, capture_output=True)
            subprocess.run([str(PG_BIN / "psql"), "-q", "-d", url.replace("postgres://", "postgresql://")], input=dump.stdout, check=True, capture_output=True)
        port = free_port()
        env = env_for(url, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=3)
        token = shell(env, SOURCE_AND_TOKEN)[-1]
        log = open(Path(env["CASEWORK_VAR_DIR"]) / "server.log", "w")
        server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py", "casework.wsgi"], cwd=ROOT, env=env, stdout=log, stderr=log)
        pool = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=8, timeout=urllib3.Timeout(connect=2, read=10))
        wait_until(lambda: _healthy(pool), 60, step=0.2)
        prefix, answers, lock = f"pg{secrets.token_hex(3)}", {}, threading.Lock()
        failures = {"5xx": 0, "timeouts and refused connections": 0}

        def send(n):
            body = ('{"id": "%s-%d", "metric": "nps", "score": 3, "answered_at": "%s", "product": "Faults"}'
                    % (prefix, n, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60)))).encode()
            delay = 0.25
            own = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=1, timeout=urllib3.Timeout(connect=2, read=20))
            for _attempt in range(60):  # what a well-behaved sender does: retry the same id with backoff
                try:
                    answer = own.request("POST", "/api/v1/responses", body=body, retries=False, headers={
                        "Content-Type": "application/json", "Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"})
                    if answer.status == 200:
                        status = re.search(rb'"status": "(\w+)"', answer.data).group(1).decode()
                        with lock:
                            answers[n] = status
                        return
                    with lock:
                        failures["5xx" if answer.status >= 500 else f"HTTP {answer.status}"] = failures.get("5xx" if answer.status >= 500 else f"HTTP {answer.status}", 0) + 1
                except urllib3.exceptions.HTTPError:
                    with lock:
                        failures["timeouts and refused connections"] += 1
                time.sleep(delay)
                delay = min(delay * 2, 4)

        senders, started = [], time.monotonic()
        for n in range(args.responses):
            while time.monotonic() < started + n / args.rate:
                time.sleep(0.005)
            thread = threading.Thread(target=send, args=(n,), daemon=True)
            thread.start()
            senders.append(thread)
            if n == args.responses // 3:
                restarting = time.monotonic()
                threading.Thread(target=lambda: (restart(), print(f"  (PostgreSQL restarted in {time.monotonic() - restarting:.1f} s)", flush=True)), daemon=True).start()
        for thread in senders:
            thread.join(120)
        server.terminate()
        server.wait(30)
        stored, distinct = (int(value) for value in shell(env, STORED.format(prefix=prefix))[-1].split())
        statuses = {status: list(answers.values()).count(status) for status in set(answers.values())}
        check("the sender saw the outage (5xx or no answer) and retried",
              sum(failures.values()) > 0, ", ".join(f"{count} {kind}" for kind, count in failures.items() if count))
        check("every response was accepted in the end", len(answers) == args.responses, f"answers: {statuses}")
        check("nothing accepted was lost, nothing stored twice", stored == distinct == args.responses, f"{stored} stored, {distinct} distinct ids, {args.responses} sent")


def _healthy(pool):
    try:
        return pool.request("GET", "/healthz", retries=False).status == 200
    except urllib3.exceptions.HTTPError:
        return False


@contextmanager
def _shared_cluster(args):
    version, name = args.cluster.split("/")
    url, _template = fresh_database(args.database_url, "pg_restart")
    yield url, lambda: subprocess.run(["pg_ctlcluster", version, name, "restart"], check=True)


def disk_full(args):
    print("\n== The disk fills up while `import_responses` writes its error report ==")
    url, _template = fresh_database(args.database_url, "disk_full")
    env = env_for(url)
    shell(env, 'from casework.feedback.models import Source; Source.objects.get_or_create(slug="faults-csv", defaults={"name": "Faults CSV"})')
    work = Path(env["CASEWORK_VAR_DIR"])
    rows, refused = 6000, 0
    with open(work / "responses.csv", "w", encoding="utf-8") as handle:
        handle.write("id,metric,score,comment,answered_at,product\n")
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
        for n in range(rows):
            bad = n % 3 == 0
            refused += bad
            handle.write(f"d-{n},nps,{'eleven' if bad else n % 11},answer {n},{stamp},Faults\n")
    small = work / "small-disk"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)], capture_output=True).returncode == 0
    report = small / "problems.csv" if mounted else Path("/dev/full")
    print(f"  (the report goes to {'a 64 KB tmpfs' if mounted else '/dev/full, since no tmpfs could be mounted'})")
    try:
        first = manage(env, "import_responses", str(work / "responses.csv"), "--source", "faults-csv", "--errors", str(report), "--quiet-progress", check_ok=False)
    finally:
        if mounted:
            subprocess.run(["umount", str(small)], check=False)
    message = (first.stderr.strip().splitlines() or [""])[-1]
    stored_first = int(shell(env, 'from casework.feedback.models import Response; print(Response.objects.filter(source__slug="faults-csv").count())')[-1])
    said = re.search(r"([\d,]+) rows of", message)
    check("the command stopped with an error exit and a clear message, no traceback",
          first.returncode != 0 and "could not be written (No space left on device)" in message and "Traceback" not in first.stderr, message[:160])
    check("the message says exactly what was stored", said and int(said.group(1).replace(",", "")) == stored_first, f"{stored_first} rows in the database")
    again = manage(env, "import_responses", str(work / "responses.csv"), "--source", "faults-csv", "--errors", str(work / "problems.csv"), "--quiet-progress", check_ok=False)
    stored = int(shell(env, 'from casework.feedback.models import Response; print(Response.objects.filter(source__slug="faults-csv").count())')[-1])
    listed = sum(1 for _line in open(work / "problems.csv", encoding="utf-8")) - 1
    check("running it again with room completes it: nothing twice, every refused row reported",
          again.returncode == 0 and stored == rows - refused and listed == refused, (again.stdout.strip().splitlines() or [""])[0] + f"; report lists {listed}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=["postgres-restart", "worker-kill", "smtp-down", "disk-full", "all"])
    parser.add_argument("--down-seconds", type=int, default=180, help="smtp-down: how long the SMTP server is away")
    parser.add_argument("--retry-seconds", type=int, default=10, help="smtp-down: first retry delay (doubling)")
    parser.add_argument("--attempts", type=int, default=8, help="smtp-down: attempts before an e-mail is given up")
    parser.add_argument("--mails", type=int, default=20)
    parser.add_argument("--lease-seconds", type=int, default=15, help="worker-kill: how long a dead worker's claim holds")
    parser.add_argument("--responses", type=int, default=600)
    parser.add_argument("--rate", type=float, default=30, help="postgres-restart: responses sent per second")
    parser.add_argument("--cluster", help="postgres-restart: restart this shared cluster (e.g. 15/main) instead of a private server")
    args = parser.parse_args()
    args.database_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/casework_faults"
    scenarios = {"postgres-restart": postgres_restart, "worker-kill": worker_kill, "smtp-down": smtp_down, "disk-full": disk_full}
    for name in scenarios if args.scenario == "all" else [args.scenario]:
        scenarios[name](args)
    failed = [name for name, ok, _detail in RESULTS if not ok]
    print(f"\n{len(RESULTS) - len(failed)} of {len(RESULTS)} checks passed." + (f" FAILED: {'; '.join(failed)}" if failed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
