"""Webhook benchmark (not part of the test suite).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench_webhooks .venv/bin/python benchmarks/webhooks.py

Sets up a fresh database with the demo configuration and a Formbricks source (mapping and secret),
starts gunicorn and a `db_worker` with the database task backend, as in production, then sends signed
Formbricks deliveries at a steady rate (default 20 a second for 60 seconds; a third of them complete an
earlier response, as Formbricks' responseUpdated does) and prints the answer times (median, 95th and
99th percentile, worst), then waits for the worker and checks that no delivery was lost: every accepted
delivery processed, every response stored once, the updates applied.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import PYTHON, ROOT, manage, recreate_postgres_database  # noqa: E402

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SETUP = f"""
from casework.feedback.models import FieldMapping, Source
from casework.feedback.webhook_secrets import add_webhook_secret
source = Source.objects.create(name="Formbricks bench", slug="formbricks-bench", kind="formbricks", default_product="Payroll")
FieldMapping.objects.create(source=source, key="nps", target="score", metric="nps")
FieldMapping.objects.create(source=source, key="why", target="comment")
add_webhook_secret(source=source, secret="{SECRET}")
"""
CHECK = """
import json
from casework.cases.models import Case
from casework.feedback.models import Response
from casework.intake.models import Delivery
bench = Response.objects.filter(source__slug="formbricks-bench")
print(json.dumps({
    "statuses": {s: Delivery.objects.filter(status=s).count() for s in ["received", "processed", "ignored", "failed"]},
    "responses": bench.count(),
    "with_comment": bench.exclude(comment="").count(),
    "cases": Case.objects.filter(response__in=bench).count(),
    "bodies_kept": Delivery.objects.exclude(body=b"").count(),
}))
"""


def sign_standard(secret, msg_id, stamp, body):
    """What Formbricks does (Standard Webhooks), written here on the tool's side, not imported from Casework."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def delivery(n, rng, updates):
    """A new response, or (every third delivery) the completion of an earlier one with its comment."""
    if n % 3 == 2 and updates:
        response_id, score = updates.pop(0)
        event, data = "responseUpdated", {"nps": score, "why": rng.choice(["Too slow", "Algas lapas ielādējas lēni", "Fine"])}
    else:
        response_id, score = f"resp{n:06d}", rng.randint(0, 10)
        event, data = "responseCreated", {"nps": score}
        updates.append((response_id, score))
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 60))
    body = {
        "webhookId": "bench",
        "event": event,
        "data": {
            "id": response_id, "createdAt": now, "updatedAt": now, "surveyId": "survey1", "finished": event != "responseCreated",
            "contact": {"id": f"c{n % 400}", "userId": f"user-{n % 400}"},
            "contactAttributes": {"email": f"person{n % 400}@bench.example"},
            "data": data, "language": "en", "meta": {"country": "LV", "url": "https://app.example.com/payroll"},
            "survey": {"title": "NPS", "type": "app", "status": "inProgress"}, "tags": [],
        },
    }
    return json.dumps(body).encode(), event == "responseUpdated"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=20, help="deliveries per second")
    parser.add_argument("--seconds", type=int, default=60)
    # Sync workers mostly wait for the database; gunicorn's advice is 2 × cores + 1.
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--worker-after", action="store_true",
        help="start the worker only after the last delivery: answer times without the worker's load on the same cores",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="casework-webhooks-"))
    env = {
        **os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(40), "SECURE_SSL_REDIRECT": "false",
        "CASEWORK_VAR_DIR": str(work), "ALLOWED_HOSTS": "127.0.0.1", "TASKS_BACKEND": "database",
    }
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    if database == "PostgreSQL":
        recreate_postgres_database(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo", "--if-empty")
    manage(env, "shell", "-c", SETUP)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "casework.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"], cwd=ROOT, env=env,
    )
    worker_log = open(work / "worker.log", "w")

    def start_worker():
        return subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--queue-name", "default", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
        )

    worker = None if args.worker_after else start_worker()
    rng = random.Random(1)
    timings, codes, lock, updates = [], {}, threading.Lock(), []
    sent_updates = 0
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        url = f"http://127.0.0.1:{args.port}/api/v1/webhooks/formbricks-bench"

        def send(n, body):
            stamp = int(time.time())
            msg_id = f"msg_{n}"
            headers = {"Content-Type": "application/json", "webhook-id": msg_id, "webhook-timestamp": str(stamp),
                       "webhook-signature": sign_standard(SECRET, msg_id, stamp, body)}
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers, method="POST"), timeout=30) as answer:
                    code = answer.status
            except urllib.error.HTTPError as error:
                code = error.code
            except OSError:
                code = "error"
            elapsed = time.perf_counter() - started
            with lock:
                timings.append(elapsed)
                codes[code] = codes.get(code, 0) + 1

        total = int(args.rate * args.seconds)
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=32) as pool:
            for n in range(total):
                body, is_update = delivery(n, rng, updates)
                sent_updates += is_update
                # An open loop: each delivery leaves at its time, whether or not earlier ones were answered.
                delay = began + n / args.rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(send, n, body)
        sending = time.perf_counter() - began
        load = os.getloadavg()[0]
        if worker is None:
            worker = start_worker()
        drained_at = time.perf_counter()
        for _ in range(600):
            state = json.loads(manage(env, "shell", "-c", CHECK).stdout.strip().splitlines()[-1])
            if state["statuses"]["received"] == 0:
                break
            time.sleep(1)
        drain = time.perf_counter() - drained_at
    finally:
        server.terminate()
        server.wait(timeout=30)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        worker_log.close()
        errors = [line for line in (work / "worker.log").read_text().splitlines() if "Error" in line]
        shutil.rmtree(work, ignore_errors=True)
    timings.sort()
    pick = lambda q: timings[min(len(timings) - 1, int(q * len(timings)))] * 1000  # noqa: E731
    created = total - sent_updates
    lost = codes.get(202, 0) - state["statuses"]["processed"]
    when = "started after the last delivery" if args.worker_after else "running alongside"
    print(f"[{database}] {total} signed Formbricks deliveries at {args.rate:g}/s over {sending:.1f} s, "
          f"{args.workers} gunicorn workers, 1 db_worker {when}: answers {codes}")
    print(f"[{database}] load average while sending: {load:.1f} on {os.cpu_count()} cores")
    print(f"[{database}] answer time: median {pick(0.5):.1f} ms, p95 {pick(0.95):.1f} ms, p99 {pick(0.99):.1f} ms, "
          f"max {timings[-1] * 1000:.1f} ms")
    print(f"[{database}] worker drained {drain:.1f} s after the last delivery; deliveries {state['statuses']}; "
          f"responses {state['responses']} (expected {created}), with comment {state['with_comment']} "
          f"(updates sent {sent_updates}), cases {state['cases']}, bodies kept {state['bodies_kept']}; lost {lost}")
    if errors:
        print(f"[{database}] worker errors ({len(errors)}), first: {errors[0]}")
    ok = pick(0.95) < 300 and lost == 0 and state["responses"] == created and state["statuses"]["failed"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
