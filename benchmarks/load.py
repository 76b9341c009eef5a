"""Load test (not part of the test suite): staff at work and a survey tool, against gunicorn + PostgreSQL.

    make load                     # or: .venv/bin/python benchmarks/load.py [--seconds 120] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_load .venv/bin/python benchmarks/load.py

Prepares a PostgreSQL database (`--reuse` keeps an earlier run's) with the demo configuration and about
100,000 cases (`manage.py seed`, bulk inserts), 50 staff accounts in the two demo teams and an API token,
then starts gunicorn (production settings, as behind a TLS proxy) and `manage.py worker` on loopback and,
for `--seconds`:

- 50 staff, signing in one after another over a 30 s warm-up (not measured), then each in a thread with its own session: My cases, All cases, filtered lists (status, band,
  overdue, a case-number search, a later page), case pages, and logging a contact on an
  open case (as the page's htmx form does), with a think time of 0.5–1.5 s between clicks;
- a survey tool posting 20 responses a second, one per request, to /api/v1/responses.

Before that, it signs everyone in from the one address, as an office behind one NAT would: every
member of staff first mistypes their password once, and a guesser tries one account's password 8
times. The office must get in (per-address limit 100); the guessed account must be locked after 5.

Prints requests per second and median, 95th and 99th percentile answer times per page, errors (any
answer that is not 2xx/3xx), and whether every response the API accepted is stored once.
"""

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import urllib3

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import PYTHON, ROOT, manage, recreate_postgres_database  # noqa: E402

PASSWORD = "load-test-password-2026"
SETUP = """
from django.contrib.auth import get_user_model
from casework.feedback.models import Source
from casework.feedback.tokens import create_api_token
from casework.teams.membership import add_member
from casework.teams.models import Team
User = get_user_model()
teams = list(Team.objects.filter(name__in=["Payroll", "Accounting"]).order_by("name"))
for n in range({staff}):
    user, created = User.objects.get_or_create(username=f"load-staff-{{n:02d}}", defaults={{"first_name": "Load", "last_name": f"Staff {{n}}"}})
    user.set_password("{password}"); user.save()
    if created:
        add_member(team=teams[n % len(teams)], user=user, role="staff")
victim, _ = User.objects.get_or_create(username="load-guessed")
victim.set_password("{password}"); victim.save()
source, _ = Source.objects.get_or_create(slug="load-survey", defaults={{"name": "Load survey"}})
print(create_api_token(source=source, label="load test")[1])
"""
COUNT = """
from casework.cases.models import Case
from casework.feedback.models import Response
print(Case.objects.count(), Response.objects.filter(source__slug="load-survey", external_id__startswith="{prefix}").count())
"""


class Browser:
    """One person's connection: cookies kept by hand, since the session cookie is Secure and the app
    sits behind a TLS proxy (X-Forwarded-Proto: https) as in production."""

    def __init__(self, pool, origin):
        self.pool, self.origin, self.cookies = pool, origin, {}

    def request(self, method, url, fields=None, headers=None):
        headers = {
            "X-Forwarded-Proto": "https", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Origin": self.origin, "Referer": self.origin + "/", **(headers or {}),
        }
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            answer = self.pool.request_encode_body(method, url, fields=fields or {}, headers=headers, encode_multipart=False, redirect=False, retries=False)
        else:
            answer = self.pool.request(method, url, headers=headers, redirect=False, retries=False)
        for cookie in answer.headers.getlist("Set-Cookie"):
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower() or value in ('""', ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return answer

    def sign_in(self, username, password):
        page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.data.decode()).group(1)
        return self.request("POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password})


class Recorder:
    def __init__(self):
        self.times, self.errors, self.lock = defaultdict(list), defaultdict(list), threading.Lock()

    def timed(self, label, call, ok=lambda answer: answer.status < 400):
        started = time.perf_counter()
        try:
            answer = call()
            failed = None if ok(answer) else f"HTTP {answer.status}"
        except Exception as error:  # noqa: BLE001 - a refused connection or a timeout is an error to count
            answer, failed = None, type(error).__name__
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.times[label].append(elapsed)
            if failed:
                self.errors[label].append(failed)
        return answer


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def staff_member(n, base, origin, deadline, recorder, rng, start_at):
    time.sleep(max(0.0, start_at - time.monotonic()))  # people arrive over the warm-up, not all in one second
    pool = urllib3.HTTPConnectionPool("127.0.0.1", int(base.rsplit(":", 1)[1]), maxsize=1, timeout=30)
    me = Browser(pool, origin)
    answer = recorder.timed("sign in", lambda: me.sign_in(f"load-staff-{n:02d}", PASSWORD), ok=lambda a: a.status == 302)
    if answer is None or answer.status != 302:
        return
    seen: list[str] = []
    pages = [
        (3, "My cases", lambda: "/"),
        (3, "All cases", lambda: "/cases/"),
        (2, "Open detractors", lambda: "/cases/?status=open&band=detractor"),
        (2, "Overdue, by number", lambda: "/cases/?overdue=true&sort=-number"),
        (1, "Search a case number", lambda: f"/cases/?q={rng.choice(seen) if seen else 'CW-1'}"),
        (1, "Page 20", lambda: "/cases/?page=20"),
    ]
    weights = [weight for weight, _label, _url in pages]
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(0.5, 1.5))
        roll = rng.random()
        if roll < 0.45:
            _weight, label, url = rng.choices(pages, weights)[0]
            answer = recorder.timed(label, lambda: me.request("GET", url()))
            if answer is not None and answer.status == 200:
                found = re.findall(r'href="/cases/(CW-\d+)/"', answer.data.decode())
                seen = (found + seen)[:200]
        elif seen:
            reference = rng.choice(seen)
            page = recorder.timed("Case page", lambda: me.request("GET", f"/cases/{reference}/"))
            if page is None or page.status != 200 or roll < 0.8:
                continue
            html = page.data.decode()
            version = re.search(r'name="contact-version" value="(\d+)"', html)
            if not version:
                continue  # a closed case offers no contact form
            fields = {
                "contact-version": version.group(1), "contact-channel": "phone", "contact-direction": "outbound",
                "contact-outcome": rng.choice(["reached", "no_answer", "left_message"]), "contact-summary": "Called back",
            }
            time.sleep(rng.uniform(0.5, 1.5))
            recorder.timed(
                "Log a contact",
                lambda: me.request("POST", f"/cases/{reference}/contacts/", fields, {"HX-Request": "true", "HX-Target": "case-work"}),
                ok=lambda a: a.status in (200, 409),  # 409: a colleague changed the case meanwhile, shown as such
            )


def survey_tool(base, token, rate, deadline, recorder, prefix, accepted):
    pool = urllib3.HTTPConnectionPool("127.0.0.1", int(base.rsplit(":", 1)[1]), maxsize=16, timeout=30)
    rng = random.Random(7)
    sender = threading.BoundedSemaphore(16)
    n = 0
    start = time.monotonic()

    def post(body):
        try:
            answer = recorder.timed(
                "Survey API post",
                lambda: pool.request("POST", "/api/v1/responses", body=body, headers={
                    "Content-Type": "application/json", "Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"}, retries=False),
            )
            if answer is not None and answer.status == 200 and b'"created"' in answer.data:
                with recorder.lock:
                    accepted.append(1)
        finally:
            sender.release()

    while time.monotonic() < deadline:
        wait = start + n / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        metric = rng.choice(["nps", "nps", "csat"])
        body = (
            '{"id": "%s-%d", "metric": "%s", "score": %d, "comment": "Load test answer", "answered_at": "%s", '
            '"product": "%s", "respondent": {"id": "load-u%d", "email": "load%d@load.example", "country": "LV"}}'
        ) % (prefix, n, metric, rng.randint(0, 10) if metric == "nps" else rng.randint(1, 5),
             time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60)), rng.choice(["Payroll", "Accounting"]), n % 3000, n % 3000)
        sender.acquire()
        threading.Thread(target=post, args=(body.encode(),), daemon=True).start()
        n += 1
    for _ in range(16):
        sender.acquire()
    return n


def sign_in_like_an_office(base, origin, staff, recorder):
    """Every member of staff mistypes once, then signs in, all from one address; a guesser tries one
    account 8 times from the same address. Returns (office signed in, guessed account locked after)."""
    pool = urllib3.HTTPConnectionPool("127.0.0.1", int(base.rsplit(":", 1)[1]), maxsize=4, timeout=30)
    for n in range(staff):
        Browser(pool, origin).sign_in(f"load-staff-{n:02d}", "typo-" + PASSWORD)
    locked_after = None
    for attempt in range(1, 9):
        answer = Browser(pool, origin).sign_in("load-guessed", f"guess-{attempt}")
        if answer.status == 429 and locked_after is None:
            locked_after = attempt
    right_password = Browser(pool, origin).sign_in("load-guessed", PASSWORD).status
    return locked_after, right_password


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--staff", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=30, help="seconds over which staff sign in, not measured")
    parser.add_argument("--rate", type=float, default=20, help="survey responses per second")
    parser.add_argument("--responses", type=int, default=240_000, help="responses to seed (about 100,000 cases)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn worker processes")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run (skips seeding)")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/casework_load"
    if not database_url.startswith("postgres"):
        sys.exit("The load test runs against PostgreSQL: set DATABASE_URL=postgres://...")
    work = Path(tempfile.mkdtemp(prefix="casework-load-"))
    with socket.socket() as probe:  # a free loopback port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "false", "SECRET_KEY": "load-test-" + "k" * 40, "ALLOWED_HOSTS": "127.0.0.1", "BEHIND_TLS_PROXY": "true",
        "CASEWORK_VAR_DIR": str(work), "TASKS_BACKEND": "database", "DATABASE_URL": database_url,
        "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(args.workers), "LOG_LEVEL": "WARNING",
    }
    started = time.perf_counter()
    if not args.reuse:
        recreate_postgres_database(database_url)
        manage(env, "migrate", "--no-input")
        print(manage(env, "seed", "--responses", str(args.responses), "--random-seed", "1").stdout.strip())
    else:
        manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    manage(env, "shell", "-c", "from axes.models import AccessAttempt; AccessAttempt.objects.all().delete()")
    token = manage(env, "shell", "-c", SETUP.format(staff=args.staff, password=PASSWORD)).stdout.strip().splitlines()[-1]
    cases_before = int(manage(env, "shell", "-c", COUNT.format(prefix="none")).stdout.strip().splitlines()[-1].split()[0])
    print(f"Prepared in {time.perf_counter() - started:.0f} s: {cases_before:,} cases.")

    logs = open(work / "server.log", "w")
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py", "casework.wsgi"], cwd=ROOT, env=env, stdout=logs, stderr=logs)
    worker = subprocess.Popen([PYTHON, "manage.py", "worker"], cwd=ROOT, env=env, stdout=logs, stderr=logs)
    base, origin = f"http://127.0.0.1:{port}", f"https://127.0.0.1:{port}"
    try:
        pool = urllib3.HTTPConnectionPool("127.0.0.1", port, timeout=5)
        for _ in range(150):
            try:
                if pool.request("GET", "/healthz", retries=False).status == 200:
                    break
            except urllib3.exceptions.HTTPError:
                time.sleep(0.2)
        recorder, accepted, prefix = Recorder(), [], f"load{secrets.token_hex(3)}"
        locked_after, right_password = sign_in_like_an_office(base, origin, args.staff, recorder)
        arrival = time.monotonic()
        deadline = arrival + args.warmup + args.seconds
        threads = [
            threading.Thread(
                target=staff_member, daemon=True,
                args=(n, base, origin, deadline, recorder, random.Random(n), arrival + args.warmup * n / args.staff),
            )
            for n in range(args.staff)
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.warmup)
        with recorder.lock:  # the figures are for the steady state, with everyone signed in
            pages_before = {label: len(times) for label, times in recorder.times.items()}
            recorder.times = defaultdict(list, {label: ([] if label != "sign in" else times) for label, times in recorder.times.items()})
            recorder.errors = defaultdict(list, {label: ([] if label != "sign in" else found) for label, found in recorder.errors.items()})
        began = time.monotonic()
        sent = survey_tool(base, token, args.rate, deadline, recorder, prefix, accepted)
        for thread in threads:
            thread.join(60)
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        worker.terminate()
        server.wait(30)
        worker.wait(60)
    stored = int(manage(env, "shell", "-c", COUNT.format(prefix=prefix)).stdout.strip().splitlines()[-1].split()[1])
    report(args, recorder, elapsed, sent, len(accepted), stored, locked_after, right_password, cases_before)
    print(f"(During the {args.warmup} s warm-up, not counted above: {sum(pages_before.values())} page requests.)")


def report(args, recorder, elapsed, sent, accepted, stored, locked_after, right_password, cases):
    cores, memory = os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    total = sum(len(times) for label, times in recorder.times.items() if label != "sign in")
    print(f"\nMachine: {cores} cores, {memory:.0f} GB; gunicorn {args.workers} sync workers + 1 worker; PostgreSQL on the same machine.")
    print(f"{cases:,} cases; {args.staff} staff (think time 0.5-1.5 s) and a survey tool at {args.rate:g}/s for {elapsed:.0f} s.")
    print(f"Throughput: {total / elapsed:.1f} requests/s ({total:,} requests).\n")
    print(f"{'page':24} {'count':>6} {'per s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}")
    for label, times in sorted(recorder.times.items(), key=lambda item: (item[0] == "sign in", item[0])):
        print(
            f"{label:24} {len(times):6} {len(times) / elapsed:6.1f} {statistics.median(times):7.0f} "
            f"{percentile(times, 0.95):7.0f} {percentile(times, 0.99):7.0f} {max(times):7.0f} {len(recorder.errors[label]):6}"
        )
    errors = sum(len(found) for found in recorder.errors.values())
    kinds = sorted({kind for found in recorder.errors.values() for kind in found})
    print(f"\nErrors: {errors}" + (f" ({', '.join(kinds)})" if kinds else ""))
    print(f"Survey tool: {sent} posted, {accepted} answered 'created', {stored} stored" + (" - none lost, none twice." if accepted == stored == sent else " - MISMATCH."))
    print(
        f"Sign-in throttling from one address: {args.staff} staff each mistyped once and then all signed in "
        f"({len(recorder.times['sign in']) - len(recorder.errors['sign in'])}/{args.staff}); "
        f"the guessed account was locked at wrong password #{locked_after} (then its right password got HTTP {right_password})."
    )
    worst = max((percentile(times, 0.95) for label, times in recorder.times.items() if label != "sign in"), default=0)
    print(f"Target (zero errors, p95 under 300 ms on every page): {'met' if errors == 0 and worst < 300 else 'NOT met'} (worst p95 {worst:.0f} ms).")


if __name__ == "__main__":
    main()
