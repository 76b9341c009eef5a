"""A request id follows a webhook delivery from the web process into the worker (issue 16, point 3)."""

import io

import pytest
from django.core.management import call_command

from . import payloads

# Committed for real: the worker closes stale database connections between tasks, which on PostgreSQL would
# close the one holding a test's surrounding transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def formbricks(make_source, routes):
    return make_source("formbricks", default_product="Payroll", mappings=[{"key": "nps", "target": "score", "metric": "nps"}])


def test_the_worker_logs_a_delivery_under_the_id_of_the_request_that_brought_it(client, webhook, formbricks, settings, json_lines):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.defaults["HTTP_X_REQUEST_ID"] = "trace-4711"
    answer = webhook(formbricks, payloads.formbricks(data={"nps": 3}), secret=formbricks.secret)
    assert answer.status_code == 202 and answer["X-Request-ID"] == "trace-4711"
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"request_id": "trace-4711"}

    call_command("worker", "--once", "--no-jobs", stdout=io.StringIO())  # what a separate worker process runs
    worker_lines = [line for line in json_lines() if line["logger"] == "casework.tasks"]
    assert [line["message"] for line in worker_lines] == ["task casework.intake.tasks.process_delivery_task done"]
    assert worker_lines[0]["request_id"] == "trace-4711"
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_task_queued_outside_a_request_gets_an_id_of_its_own(json_lines):
    from casework.intake.tasks import process_delivery_task

    process_delivery_task.call(12345)  # no such delivery: nothing to do, but it is logged
    [line] = [line for line in json_lines() if line["logger"] == "casework.tasks"]
    assert line["request_id"].startswith("task-")
