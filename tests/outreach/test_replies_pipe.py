"""`manage.py receive_email < message`, run as Postfix's pipe(8) runs it: a separate process reading
standard input, whose exit status (sysexits.h) tells the MTA what to do with the message."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .mailfixtures import DOMAIN, MAIL

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
import datetime, json
from django.utils import timezone
from casework.cases import opening
from casework.cases.models import Case
from casework.feedback.models import Respondent, Response, Source
from casework.outreach.models import Notification
from casework.outreach.replyaddress import reply_address
from casework.teams.models import Team
team = Team.objects.create(name="Payroll", slug="payroll")
source = Source.objects.create(name="Survey", slug="survey")
person = Respondent.objects.create(email="anna@example.com", name="Anna Bērziņa")
response = Response.objects.create(source=source, external_id="r-1", respondent=person, metric="nps", score=2,
    comment="Slow", answered_at=timezone.now(), product="Payroll")
case = opening.open_case(response=response, team=team, priority=2, first_contact_due_at=timezone.now())
now = timezone.now()
Case.objects.filter(pk=case.pk).update(status="closed", closed_at=now, close_reason="notified")
notification = Notification.objects.create(case=case, respondent=person, recipient=person.email, subject="S", body="B",
    status="sent", sent_at=now, queued_at=now, message_id="<pipe-test.1@casework.example>")
print(json.dumps({"address": reply_address(notification.pk), "message_id": notification.message_id, "case": case.pk}))
"""


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    var = tmp_path_factory.mktemp("pipe-var")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DEBUG="true", CASEWORK_VAR_DIR=str(var), CASEWORK_REPLY_DOMAIN=DOMAIN, PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env, check=True, capture_output=True)
    made = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return env, json.loads(made.stdout.strip().splitlines()[-1])


def pipe(installation, name, *args):
    env, made = installation
    text = (MAIL / name).read_text(encoding="utf-8")
    raw = text.replace("@@REPLY_ADDRESS@@", made["address"]).replace("@@MESSAGE_ID@@", made["message_id"]).replace("@@REPLY_DOMAIN@@", DOMAIN)
    return subprocess.run(
        [sys.executable, "manage.py", "receive_email", *args], cwd=ROOT, env=env, input=raw.encode(), capture_output=True, timeout=120
    )


def state(installation):
    """The case's status and its number of replies, read straight from the SQLite file the process wrote."""
    with sqlite3.connect(Path(installation[0]["CASEWORK_VAR_DIR"]) / "casework.sqlite3") as db:
        [(status,)] = db.execute("SELECT status FROM cases_case").fetchall()
        [(replies,)] = db.execute("SELECT count(*) FROM cases_contact WHERE direction = 'inbound'").fetchall()
    return [status, str(replies)]


def test_the_pipe_answers_in_sysexits_and_lands_replies(installation):
    forged = pipe(installation, "forged.eml")
    assert forged.returncode == 67, forged.stderr  # EX_NOUSER: the MTA bounces it
    assert b"signature" in forged.stderr and b"bank details" not in forged.stderr + forged.stdout
    assert pipe(installation, "unmatched.eml").returncode == 67
    empty = subprocess.run([sys.executable, "manage.py", "receive_email"], cwd=ROOT, env=installation[0], input=b"", capture_output=True, timeout=120)
    assert empty.returncode == 65  # EX_DATAERR
    assert state(installation) == ["closed", "0"]

    office = pipe(installation, "out_of_office.eml")
    assert office.returncode == 0 and b"auto_reply" in office.stdout
    assert state(installation) == ["closed", "0"]

    reply = pipe(installation, "gmail_reply.eml", "--recipient", installation[1]["address"])
    assert reply.returncode == 0, reply.stderr
    assert state(installation) == ["in_progress", "1"]
    again = pipe(installation, "gmail_reply.eml")
    assert again.returncode == 0 and b"duplicate" in again.stdout
    assert state(installation) == ["in_progress", "1"]
