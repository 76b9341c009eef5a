"""Ingestion benchmark (not part of the test suite).

    .venv/bin/python benchmarks/ingest.py                       # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench .venv/bin/python benchmarks/ingest.py

Sets up an empty database with the demo configuration, starts gunicorn, posts 20,000 responses through
the API in batches of 500 and prints responses/second; then imports CSV files of 20,000 and 100,000
rows with `manage.py import_responses` and prints rows/second and the importer's peak memory.
"""

import argparse
import csv
import datetime
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
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
COMMENTS = ["Payslips take forever", "Algu lapas ielādējas lēni", "Great, thanks", "", "I want a refund", "Viss kārtībā"]


def manage(env, *args, capture=True):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True)


def recreate_postgres_database(url):
    """A fresh, empty database for each run, so that figures do not depend on earlier runs."""
    import psycopg
    from psycopg import sql
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def item(prefix, n, rng, now):
    metric = rng.choice(["nps", "nps", "csat", "ces"])
    high = {"nps": 10, "csat": 5, "ces": 7}[metric]
    return {
        "id": f"{prefix}-{n}",
        "metric": metric,
        "score": rng.randint(0 if metric == "nps" else 1, high),
        "comment": rng.choice(COMMENTS),
        "answered_at": (now - datetime.timedelta(minutes=rng.randint(1, 10_000))).isoformat(),
        "channel": "web",
        "product": rng.choice(["Payroll", "Accounting"]),
        "locale": rng.choice(["lv", "en"]),
        "respondent": {"id": f"{prefix}-u{n % 5000}", "email": f"{prefix}.{n % 5000}@bench.example", "name": "Bench Person", "country": "LV"},
    }


def post_batches(url, token, total, batch, clients, rng):
    """Posts pre-built batches from `clients` threads (survey tools push in parallel); the clock
    covers only the HTTP round trips, not building the JSON here."""
    now = datetime.datetime.now(datetime.UTC)
    prefix = secrets.token_hex(3)
    bodies = [
        json.dumps({"responses": [item(prefix, n, rng, now) for n in range(start, min(start + batch, total))]}).encode()
        for start in range(0, total, batch)
    ]
    counts, lock = {}, threading.Lock()

    def send(body):
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=300) as response:
            statuses = [result["status"] for result in json.load(response)["results"]]
        with lock:
            for status in statuses:
                counts[status] = counts.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(send, bodies))
    return time.perf_counter() - started, counts


def write_csv(path, rows, rng):
    now = datetime.datetime.now(datetime.UTC)
    prefix = secrets.token_hex(3)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "metric", "score", "comment", "answered_at", "channel", "product", "locale", "respondent_id", "respondent_email", "respondent_name", "respondent_country"])
        for n in range(rows):
            data = item(prefix, n, rng, now)
            person = data["respondent"]
            writer.writerow([data["id"], data["metric"], data["score"], data["comment"], data["answered_at"], "web", data["product"], data["locale"], person["id"], person["email"], person["name"], "LV"])


def timed_import(env, path):
    """Seconds and the importer's peak resident memory in MB (GNU time's %M, its own process only)."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", PYTHON, "manage.py", "import_responses", str(path), "--source", "bench", "--quiet-progress"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    return seconds, int(result.stderr.strip().splitlines()[-1]) / 1024, result.stdout.strip().splitlines()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--csv-rows", type=int, nargs="*", default=[20_000, 100_000])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--clients", type=int, default=2, help="requests in flight at once")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    rng = random.Random(1)
    work = Path(tempfile.mkdtemp(prefix="casework-bench-"))
    # Production settings (DEBUG off: no query log), plain HTTP on the loopback interface.
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "SECURE_SSL_REDIRECT": "false",
        "CASEWORK_VAR_DIR": str(work),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    if database == "PostgreSQL":
        recreate_postgres_database(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo", "--if-empty")
    manage(env, "shell", "-c", "from casework.feedback.models import Source; Source.objects.get_or_create(slug='bench', defaults={'name': 'Benchmark'})")
    token = manage(env, "create_api_token", "bench").stdout.strip()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "casework.wsgi", "--workers", str(args.workers), "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        seconds, counts = post_batches(
            f"http://127.0.0.1:{args.port}/api/v1/responses", token, args.responses, args.batch, args.clients, rng
        )
        print(f"[{database}] API: {args.responses:,} responses in batches of {args.batch}, {args.clients} clients, "
              f"{args.workers} gunicorn workers: "
              f"{seconds:.1f} s, {args.responses / seconds:,.0f} responses/s  {counts}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    for rows in args.csv_rows:
        path = work / f"bench-{rows}.csv"
        write_csv(path, rows, rng)
        seconds, peak, summary = timed_import(env, path)
        print(f"[{database}] CSV: {rows:,} rows ({path.stat().st_size / 2**20:.1f} MB) in {seconds:.1f} s, "
              f"{rows / seconds:,.0f} rows/s, peak memory {peak:.0f} MB  ({summary})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
