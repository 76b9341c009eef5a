"""Structured logs: one JSON object per line, a request id from the request into the worker, and no
line that a logged value can forge (issue 16, point 3). The suite-wide scan for personal data in log
records is tests/log_scan.py."""

import json
import logging

import pytest

from casework.logs import RequestIdFilter, TextFormatter
from tests.log_scan import scan

pytestmark = pytest.mark.django_db


def test_each_request_gets_an_id_on_its_response_and_its_log_line(client, janis, json_lines):
    client.force_login(janis)
    response = client.get("/cases/?q=Berzina")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 16
    [line] = [line for line in json_lines() if line["logger"] == "casework.request"]
    assert line["request_id"] == request_id and line["message"] == "GET /cases/ 200"
    assert line["status_code"] == 200 and line["duration_ms"] > 0 and line["level"] == "INFO"
    assert "Berzina" not in json.dumps(line)  # the query string (a name searched for) is not logged
    assert client.get("/cases/")["X-Request-ID"] != request_id


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.1"})["X-Request-ID"] == "lb-7f3a.1"
    for offered in ("x" * 65, "a b", "id\r\nforged: yes", "ïd", ""):
        answered = client.get("/healthz", headers={"X-Request-ID": offered})["X-Request-ID"]
        assert answered != offered and len(answered) == 16


def test_crlf_in_a_logged_value_cannot_start_a_forged_line(json_lines):
    forged = 'alice\r\n{"time": "2026-11-25T10:00:00Z", "level": "INFO", "message": "admin signed in"}\u2028x\x00'
    logging.getLogger("casework.security").warning("refused user=%s", forged, extra={"address": forged})
    lines = json_lines()
    assert len(lines) == 1  # one record, one line, however many line breaks the value held
    assert lines[0]["message"] == f"refused user={forged}" and lines[0]["address"] == forged


def test_the_readable_development_format_keeps_one_record_on_one_line():
    record = logging.LogRecord("casework.security", logging.WARNING, __file__, 1, "user=%s", ("a\r\nb",), None)
    RequestIdFilter().filter(record)
    assert TextFormatter().format(record).count("\n") == 0


def test_a_periodic_job_run_has_its_own_id_on_its_lines(json_lines, settings):
    from django.utils import timezone

    from casework.scheduling.scheduler import run_due_jobs

    settings.CASEWORK_PERIODIC_JOBS = {"escalate": ("* * * * *", "casework.cases.escalation.escalate_overdue")}
    run_due_jobs(worker_id="w1", now=timezone.now())  # schedules it
    run_due_jobs(worker_id="w1", now=timezone.now() + timezone.timedelta(minutes=2))
    [line] = [line for line in json_lines() if line["message"].startswith("Periodic job escalate")]
    assert line["request_id"].startswith("job-escalate-")


@pytest.mark.parametrize(
    "text, found",
    [
        ("sent to anna@example.com", ["anna@example.com"]),
        ("name=Anna Bērziņa", ["Bērziņa"]),
        ("comment: Too slow", ["Too slow"]),
        ("refused GET /cases/<str:reference>/: not found user=3 address=192.0.2.7", []),
    ],
)
def test_the_suite_wide_scan_recognises_personal_data(text, found):
    assert scan(text) == found
