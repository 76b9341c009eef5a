"""Staff workspace benchmark (not part of the test suite).

    .venv/bin/python benchmarks/workspace.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench .venv/bin/python benchmarks/workspace.py

Seeds a fresh database (`manage.py seed`, about 100,000 cases by default), then requests the case lists
with filters and a case page N times each, in-process through Django's test client (server time, no
network), and prints the median and 95th percentile time and the number of queries per page.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepare(env, responses):
    if env.get("DATABASE_URL", "").startswith("postgres"):
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from ingest import recreate_postgres_database

        recreate_postgres_database(env["DATABASE_URL"])
    python = str(ROOT / ".venv" / "bin" / "python")
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    seeded = subprocess.run(
        [python, "manage.py", "seed", "--responses", str(responses), "--random-seed", "1"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )
    print(seeded.stdout.strip(), f"(with setup {time.perf_counter() - started:.0f} s)")


def measure(repeat):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from casework.cases.models import Case

    print(f"{Case.objects.count():,} cases in the database")
    for username in ("maija", "admin"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        case = Case.objects.filter(team__name="Payroll").order_by("-number").first()
        pages = [
            ("My cases", "/"),
            ("All cases", "/cases/"),
            ("All cases, open, detractors", "/cases/?status=open&band=detractor"),
            ("All cases, search 'refund'", "/cases/?q=refund"),
            ("All cases, overdue, by number", "/cases/?overdue=true&sort=-number"),
            ("All cases, page 50", "/cases/?page=50"),
            ("Team queue", "/teams/payroll/"),
            ("Case page", case.get_absolute_url()),
        ]
        print(f"\nas {username}:")
        print(f"  {'page':34} {'median':>8} {'p95':>8} {'queries':>8}")
        for label, url in pages:
            times, count = [], 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, HTTP_HOST="127.0.0.1")
                    times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                count = len(queries)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"  {label:34} {statistics.median(times):7.1f}ms {p95:7.1f}ms {count:8}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=240_000, help="responses to seed (about 40%% open cases)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--reuse", metavar="VAR_DIR", help="measure an already seeded SQLite folder again")
    args = parser.parse_args()
    work = args.reuse or tempfile.mkdtemp(prefix="casework-bench-")
    os.environ.update(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(40), SECURE_SSL_REDIRECT="false",
        CASEWORK_VAR_DIR=work, ALLOWED_HOSTS="127.0.0.1", DJANGO_SETTINGS_MODULE="casework.settings",
    )
    sys.path.insert(0, str(ROOT))
    if args.reuse:
        python = str(ROOT / ".venv" / "bin" / "python")
        subprocess.run([python, "manage.py", "migrate", "--no-input"], cwd=ROOT, check=True, capture_output=True)
    else:
        prepare(dict(os.environ), args.responses)
    measure(args.repeat)


if __name__ == "__main__":
    main()
