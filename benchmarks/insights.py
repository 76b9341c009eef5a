"""Dashboard benchmark (not part of the test suite).

    .venv/bin/python benchmarks/insights.py                                   # SQLite file in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_insights .venv/bin/python benchmarks/insights.py
    .venv/bin/python benchmarks/insights.py --responses 100000 --cases 20000  # a quick run

Seeds a fresh database with bulk inserts: N responses over the last 365 days (two teams' products,
four channels, eight countries) and M cases opened by some of them, most closed, with first contacts,
closing e-mails (sent, failed, suppressed), root-cause tags and later answers from the same people.
Then requests the dashboard through Django's test client (server time, no network) for a manager of
one team and for an administrator with several filter sets, N times each, and prints the median and
95th percentile, the SQL time and the number of queries. Last, streams the CSV export of 100,000
cases and prints its time and the peak memory growth of the process while it ran.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
FILTER_SETS = [
    ("last 30 days (default)", ""),
    ("last 7 days", "period=7d"),
    ("last 90 days", "period=90d"),
    ("this quarter", "period=quarter"),
    ("custom year", "period=custom&start={year_ago}&end={today}"),
    ("90 days, product Payroll", "period=90d&product=Payroll"),
    ("90 days, NPS only", "period=90d&metric=nps"),
    ("90 days, channel web", "period=90d&channel=web"),
    ("90 days, country LV", "period=90d&country=LV"),
    ("90 days, team Payroll", "period=90d&team={payroll}"),
]


def prepare(env):
    if env.get("DATABASE_URL", "").startswith("postgres"):
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from ingest import recreate_postgres_database

        recreate_postgres_database(env["DATABASE_URL"])
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)


def seed(responses: int, cases: int) -> None:
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from casework.cases.models import Case, CaseResponse, Counter, Tag
    from casework.feedback.models import Respondent, Response, Source
    from casework.intake.models import Route
    from casework.outreach.models import Notification
    from casework.teams.membership import add_member
    from casework.teams.models import Team

    rng = random.Random(1)
    now = timezone.now()
    started = time.perf_counter()
    payroll = Team.objects.create(name="Payroll", slug="payroll")
    accounting = Team.objects.create(name="Accounting", slug="accounting")
    Route.objects.create(product="Payroll", team=payroll)
    Route.objects.create(product="Accounting", team=accounting)
    users = get_user_model()
    maija = users.objects.create_user("maija", password="x")
    add_member(team=payroll, user=maija, role="manager")
    janis = users.objects.create_user("janis", password="x")
    add_member(team=payroll, user=janis, role="staff")
    users.objects.create_user("admin", password="x", is_superuser=True, is_staff=True)
    source = Source.objects.create(name="Bench", slug="bench")
    tags = [Tag.objects.create(name=name) for name in ("slow payslips", "bank export", "tax error", "login", "invoice layout")]
    people = responses // 4
    batch = 20000
    with transaction.atomic():
        Respondent.objects.bulk_create(
            [Respondent(email=f"p{i}@bench.example", name=f"Person {i}", country=rng.choice("LV LV LV EE LT GB DE US".split()))
             for i in range(people)],
            batch_size=batch,
        )
    first_person = Respondent.objects.order_by("pk").values_list("pk", flat=True).first()
    metrics = [("nps", 0, 10), ("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7)]
    for start in range(0, responses, batch):
        rows = []
        for i in range(start, min(responses, start + batch)):
            metric, low, high = rng.choice(metrics)
            rows.append(Response(
                source=source, external_id=f"r{i}", respondent_id=first_person + rng.randrange(people), metric=metric,
                score=rng.randint(low, high), comment="Payslips take forever" if i % 3 == 0 else "",
                answered_at=now - datetime.timedelta(seconds=rng.randrange(365 * 86400)),
                channel=rng.choice(["web", "mobile", "email", "link"]), product=rng.choice(["Payroll", "Accounting"]),
            ))
        with transaction.atomic():
            Response.objects.bulk_create(rows, batch_size=5000)
    print(f"  {responses:,} responses in {time.perf_counter() - started:.0f} s", flush=True)
    # Cases: opened by the worst answers, one per answer.
    opening = list(
        Response.objects.filter(score__lte=3).order_by("pk").values_list("pk", "respondent_id", "metric", "score", "answered_at", "product")[:cases]
    )
    teams = {"Payroll": payroll.pk, "Accounting": accounting.pk}
    case_rows, links = [], []
    for number, (pk, person, metric, score, answered, product) in enumerate(opening, start=1001):
        closed = answered < now - datetime.timedelta(days=3) and rng.random() < 0.85
        contacted = answered + datetime.timedelta(hours=rng.expovariate(1 / 20)) if rng.random() < 0.9 else None
        case_rows.append(Case(
            number=number, status="closed" if closed else rng.choice(["new", "in_progress", "waiting", "resolved"]),
            team_id=teams[product], assignee_id=janis.pk if product == "Payroll" and rng.random() < 0.3 else None,
            respondent_id=person if closed else None, response_id=pk, product=product, metric=metric, score=score,
            created_at=answered, first_contact_due_at=answered + datetime.timedelta(hours=24), first_contacted_at=contacted,
            closed_at=answered + datetime.timedelta(days=rng.randint(1, 3)) if closed else None,
            close_reason=rng.choice(["notified", "notified", "notified", "unreachable"]) if closed else "",
        ))
    for start in range(0, len(case_rows), batch):
        with transaction.atomic():
            Case.objects.bulk_create(case_rows[start:start + batch], batch_size=5000)
    Counter.objects.update_or_create(name="case", defaults={"value": 1001 + len(case_rows)})
    closed = list(Case.objects.filter(status="closed").values_list("pk", "closed_at", "respondent_id"))
    all_cases = list(Case.objects.values_list("pk", "response_id"))
    for start in range(0, len(all_cases), batch):
        with transaction.atomic():
            CaseResponse.objects.bulk_create(
                [CaseResponse(case_id=case, response_id=response) for case, response in all_cases[start:start + batch]], batch_size=5000
            )
            through = Case.tags.through
            through.objects.bulk_create(
                [through(case_id=case, tag_id=rng.choice(tags).pk) for case, _response in all_cases[start:start + batch] if rng.random() < 0.6],
                batch_size=5000,
            )
    for start in range(0, len(closed), batch):
        rows = []
        for case, closed_at, person in closed[start:start + batch]:
            status = rng.choice(["sent"] * 8 + ["failed", "suppressed"])
            rows.append(Notification(
                case_id=case, respondent_id=person, recipient="x@bench.example", subject="We fixed it", body="…", status=status,
                suppressed_reason="The respondent objected to contact." if status == "suppressed" else "",
                queued_at=closed_at, sent_at=closed_at if status == "sent" else None,
            ))
        with transaction.atomic():
            Notification.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  {len(case_rows):,} cases, {len(closed):,} closed with notifications; seeded in {time.perf_counter() - started:.0f} s", flush=True)


def measure(repeat: int) -> None:
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from casework.insights.periods import local_today
    from casework.teams.models import Team

    today = local_today()
    values = {"today": today, "year_ago": today - datetime.timedelta(days=364), "payroll": Team.objects.get(slug="payroll").pk}
    print(f"{'dashboard':<32} {'user':<7} {'median':>8} {'p95':>8} {'SQL':>8} {'queries':>8}")
    slowest = 0.0
    for username in ("maija", "admin", "janis"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=username))
        for label, query in FILTER_SETS:
            if username == "janis" and "team=" in query:
                continue
            url = "/dashboard/?" + query.format(**values)
            times, sql = [], []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code)
                sql.append(sum(float(q["time"]) for q in queries.captured_queries))
            median, p95 = statistics.median(times), sorted(times)[max(0, int(len(times) * 0.95) - 1)]
            slowest = max(slowest, median)
            print(f"{label:<32} {username:<7} {median * 1000:>6.0f}ms {p95 * 1000:>6.0f}ms {statistics.median(sql) * 1000:>6.0f}ms {len(queries.captured_queries):>8}", flush=True)
    print(f"slowest median: {slowest * 1000:.0f} ms (target < 300 ms)")
    export(client=None)


def export(client=None) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="admin"))
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/cases/export.csv")
    rows, size = 0, 0
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
        size += len(chunk)
        if rows > 100_001:
            break
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"CSV export: {rows - 1:,} rows, {size / 1e6:.1f} MB in {elapsed:.1f} s; peak Python memory while streaming {peak / 1e6:.1f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", choices=["seed", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import django

        django.setup()
        seed(args.responses, args.cases) if args.child == "seed" else measure(args.repeat)
        return
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "casework.settings"}
    env.setdefault("DATABASE_URL", f"sqlite:////tmp/casework-insights-bench-{os.getpid()}.sqlite3")
    print(f"Database: {env['DATABASE_URL'].split('@')[-1]}", flush=True)
    prepare(env)
    for child in ("seed", "measure"):
        subprocess.run(
            [PYTHON, __file__, "--child", child, "--responses", str(args.responses), "--cases", str(args.cases), "--repeat", str(args.repeat)],
            cwd=ROOT, env=env, check=True,
        )
    if env["DATABASE_URL"].startswith("sqlite:////tmp/casework-insights-bench-"):
        for suffix in ("", "-wal", "-shm"):
            Path(env["DATABASE_URL"].removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
