"""Staff workspace benchmark (not part of the test suite).

    .venv/bin/python benchmarks/workspace.py                          # SQLite, 10,000 and 100,000 cases
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench .venv/bin/python benchmarks/workspace.py
    .venv/bin/python benchmarks/workspace.py --cases 100000 --repeat 30

For each size, seeds a fresh database (`manage.py seed`; about 2.4 responses per case), then requests
every list view (default, filtered, the htmx partial, search, the team queue, My cases) for a manager
and an administrator, and a case page, N times each in-process through Django's test client (server
time, no network). Prints the median and 95th percentile, the median CPU time of this process (what
the page costs here, less disturbed by other work on a shared machine; on PostgreSQL without the
server's share), the time spent in SQL and the number of queries per page; with two sizes, also how much each median grew from the smaller to the larger.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RESPONSES_PER_CASE = 2.4

PAGES = [
    ("My cases", "/", {}),
    ("All cases", "/cases/", {}),
    ("All cases, page 50", "/cases/?page=50", {}),
    ("Filtered: status new", "/cases/?status=new", {}),
    ("Filtered: open detractors", "/cases/?status=open&band=detractor", {}),
    ("Filtered: overdue, by number", "/cases/?overdue=true&sort=-number", {}),
    ("htmx partial: open detractors", "/cases/?status=open&band=detractor", {"HTTP_HX_REQUEST": "true"}),
    ("Search 'refund'", "/cases/?q=refund", {}),
    ("Search 'berzina'", "/cases/?q=berzina", {}),
    ("Search e-mail part 'seed.example'", "/cases/?q=seed.example", {}),
    ("Search case number", None, {}),
    ("Team queue", "/teams/payroll/", {}),
    ("Case page", None, {}),
]


def prepare(env, responses):
    if env.get("DATABASE_URL", "").startswith("postgres"):
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from ingest import recreate_postgres_database

        recreate_postgres_database(env["DATABASE_URL"])
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    seeded = subprocess.run(
        [PYTHON, "manage.py", "seed", "--responses", str(responses), "--random-seed", "1"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )
    print(seeded.stdout.strip(), f"(with setup {time.perf_counter() - started:.0f} s)", flush=True)


def measure(repeat) -> dict:
    """Runs in a child process (one Django setup per database); returns {user: {page: figures}}."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from casework.cases.models import Case

    figures = {"cases": Case.objects.count()}
    case = Case.objects.filter(team__name="Payroll").order_by("-number").first()
    for username in ("maija", "admin"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        figures[username] = {}
        for label, url, headers in PAGES:
            if label == "Case page":
                url = case.get_absolute_url()
            elif label == "Search case number":
                url = f"/cases/?q={case.reference}"
            times, cpu, sql, count = [], [], [], 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    response = client.get(url, HTTP_HOST="127.0.0.1", **headers)
                    times.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - started_cpu) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                count = len(queries)
                sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
            times.sort()
            figures[username][label] = {
                "median": statistics.median(times),
                "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
                "cpu": statistics.median(cpu),
                "sql": statistics.median(sql),
                "queries": count,
            }
    return figures


def print_figures(database, figures):
    print(f"\n[{database}] {figures['cases']:,} cases")
    for username in ("maija", "admin"):
        role = "manager" if username == "maija" else "administrator"
        print(f"  as {username} ({role}):")
        print(f"    {'page':36} {'median':>8} {'p95':>8} {'cpu':>8} {'sql':>8} {'queries':>8}")
        for label, row in figures[username].items():
            print(
                f"    {label:36} {row['median']:6.1f}ms {row['p95']:6.1f}ms {row['cpu']:6.1f}ms {row['sql']:6.1f}ms {row['queries']:8}"
            )


def print_growth(database, small, large):
    print(f"\n[{database}] growth of the median from {small['cases']:,} to {large['cases']:,} cases")
    for username in ("maija", "admin"):
        for label in large[username]:
            before, after = small[username][label]["median"], large[username][label]["median"]
            print(f"    {username:6} {label:36} {before:6.1f}ms → {after:6.1f}ms  {100 * (after - before) / before:+5.0f}%")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000], help="case counts to seed (approximate)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the SQLite folders (printed) for --reuse")
    parser.add_argument("--reuse", metavar="VAR_DIR", help="measure an already seeded SQLite folder again (after migrating it)")
    args = parser.parse_args()
    if args.measure_only:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(measure(args.repeat)))
        return
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    results = []
    for cases in [None] if args.reuse else args.cases:
        work = args.reuse or tempfile.mkdtemp(prefix="casework-bench-")
        env = {
            **os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(40), "SECURE_SSL_REDIRECT": "false",
            "CASEWORK_VAR_DIR": work, "ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "casework.settings",
        }
        if args.reuse:
            subprocess.run([PYTHON, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True)
        else:
            prepare(env, int(cases * RESPONSES_PER_CASE))
        measured = subprocess.run(
            [PYTHON, __file__, "--measure-only", "--repeat", str(args.repeat)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )
        figures = json.loads(measured.stdout.strip().splitlines()[-1])
        print_figures(database, figures)
        results.append(figures)
        if args.keep:
            print(f"  (kept in {work})")
    if len(results) == 2:
        print_growth(database, *results)


if __name__ == "__main__":
    main()
