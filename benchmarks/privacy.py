"""Privacy benchmark (not part of the test suite): retention over a million old answers, and erasing one
person with 10,000 answers.

    .venv/bin/python benchmarks/privacy.py                          # SQLite in a temporary folder
    .venv/bin/python benchmarks/privacy.py --responses 100000       # a quicker look
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench .venv/bin/python benchmarks/privacy.py

Seeds a fresh database with answers received four to five years ago (`seed`, with the cases the rules
open), then runs `apply_retention` in a process of its own and prints its time and peak memory (the
whole process: Python, Django and the run); then gives one person 10,000 answers on 100 cases with
contacts, notes and e-mails, and times their erasure. Targets: retention under 10 minutes and 200 MB,
the erasure under 10 seconds.
"""

import argparse
import datetime
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def setup_django():
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def step_seed(count):
    setup_django()
    import random

    from django.db import connection
    from django.utils import timezone

    from casework.demo.loading import demo_is_loaded, load_demo
    from casework.demo.seeding import seed_responses

    if not demo_is_loaded():
        load_demo()
    started = time.perf_counter()
    counts = seed_responses(count, rng=random.Random(1), now=timezone.now() - datetime.timedelta(days=4 * 365 + 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Seeded {counts['responses']:,} old answers, {counts['cases']:,} cases, {counts['respondents']:,} people "
          f"in {time.perf_counter() - started:.0f} s.")


def step_retention():
    setup_django()
    from casework.feedback.models import Response
    from casework.privacy.retention import apply_retention

    started = time.perf_counter()
    report = apply_retention()
    seconds = time.perf_counter() - started
    left = Response.objects.filter(received_at__lt=report.cutoff, anonymised_at__isnull=True).count()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "report": str(report), "left": left}))


def step_erasure(count):
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from casework.cases.models import Case, CaseResponse, Contact, Event
    from casework.cases.numbering import reserve_case_numbers
    from casework.feedback.models import Respondent, RespondentIdentity, Response, Source
    from casework.outreach.models import Notification
    from casework.privacy.erasure import erase_respondent
    from casework.teams.models import Team

    now = timezone.now()
    source = Source.objects.get_or_create(slug="bench", defaults={"name": "Benchmark"})[0]
    team, staff = Team.objects.get(slug="payroll"), get_user_model().objects.get(username="janis")
    officer = get_user_model().objects.get(username="dace")
    with transaction.atomic():
        person = Respondent.objects.create(email="heavy.user@example.com", name="Heavy Ūser", company="Heavy SIA", country="LV")
        RespondentIdentity.objects.create(source=source, external_id="heavy-1", respondent=person)
        responses = Response.objects.bulk_create([
            Response(source=source, external_id=f"heavy-{i}", respondent=person, metric="nps", score=i % 11,
                     comment=f"Heavy Ūser says thing {i}", page_url=f"https://app.example.com/{i}", answered_at=now,
                     received_at=now, channel="web", product="Payroll", locale="lv")
            for i in range(count)
        ], batch_size=2000)
        per_case = max(1, count // 100)
        numbers = reserve_case_numbers(len(responses[::per_case]))
        cases = Case.objects.bulk_create([
            Case(number=number, status="closed", closed_at=now, close_reason="no_action", team=team, respondent=person,
                 response=response, product="Payroll", metric="nps", score=response.score, created_at=now,
                 action_summary=f"Fixed it for Heavy Ūser {number}")
            for number, response in zip(numbers, responses[::per_case])
        ])
        CaseResponse.objects.bulk_create(
            [CaseResponse(case=cases[i // per_case], response=response) for i, response in enumerate(responses) if i // per_case < len(cases)],
            batch_size=2000,
        )
        Event.objects.bulk_create(
            [Event(case=cases[i // per_case], kind="response", created_at=now, data={"response": r.pk}) for i, r in enumerate(responses) if i // per_case < len(cases)]
            + [Event(case=case, kind="note", actor=staff, created_at=now, data={"text": "Heavy Ūser called"}) for case in cases],
            batch_size=2000,
        )
        Contact.objects.bulk_create([
            Contact(case=case, channel="phone", direction="outbound", outcome="reached", summary="Spoke to Heavy Ūser",
                    contacted_at=now, created_by=staff) for case in cases
        ])
        Notification.objects.bulk_create([
            Notification(case=case, respondent=person, recipient=person.email, subject="We fixed it", body="Hi Heavy",
                         status="sent", sent_at=now, queued_at=now, message_id=f"<heavy-{case.pk}@bench>") for case in cases
        ])
    started = time.perf_counter()
    erase_respondent(respondent=person, actor=officer, confirm=person.email)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "responses": count, "cases": len(cases), "peak_mb": peak_mb()}))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_step(env, *args):
    result = subprocess.run([PYTHON, __file__, "--step", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=1_000_000, help="old answers to seed")
    parser.add_argument("--erase", type=int, default=10_000, help="answers of the person erased")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, *rest = args.step
        {"seed": lambda: step_seed(int(rest[0])), "retention": step_retention, "erasure": lambda: step_erasure(int(rest[0]))}[name]()
        return
    work = tempfile.mkdtemp(prefix="casework-privacy-bench-")
    env = dict(
        os.environ, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(40), SECURE_SSL_REDIRECT="false", CASEWORK_VAR_DIR=work,
        ALLOWED_HOSTS="127.0.0.1", DJANGO_SETTINGS_MODULE="casework.settings", TASKS_BACKEND="immediate",
    )
    if env.get("DATABASE_URL", "").startswith("postgres"):
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from ingest import recreate_postgres_database

        recreate_postgres_database(env["DATABASE_URL"])
    print(f"Database: {env.get('DATABASE_URL') or 'SQLite in ' + work}")
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True)
    print(run_step(env, "seed", str(args.responses)))
    retention = json.loads(run_step(env, "retention"))
    print(f"Retention: {retention['seconds']:.0f} s, peak memory {retention['peak_mb']:.0f} MB (target < 600 s, < 200 MB)")
    print(f"  {retention['report']}; {retention['left']} old answers left")
    erasure = json.loads(run_step(env, "erasure", str(args.erase)))
    print(f"Erasure of one person with {erasure['responses']:,} answers on {erasure['cases']} cases: "
          f"{erasure['seconds']:.2f} s (target < 10 s), peak memory {erasure['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
