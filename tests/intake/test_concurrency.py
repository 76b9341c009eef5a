"""Several workers ingesting at once (PostgreSQL, where they really run in parallel)."""

from collections import Counter

import pytest
from django.db import connection

from casework.cases.models import Case
from casework.feedback.models import Response
from casework.intake.ingestion import ingest
from casework.teams.membership import add_member
from casework.teams.models import Team

from tests.threads import run_together

from .conftest import item

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database with real concurrent writers"),
]


def test_the_same_answer_sent_at_once_is_stored_once(source, routes):
    results = run_together([lambda: ingest(source, [item(1)])[0] for _ in range(8)])
    assert Counter(result.status for result in results) == {"created": 1, "duplicate": 7}
    assert len({result.case for result in results}) == 1
    assert Response.objects.count() == 1 and Case.objects.count() == 1


def test_answers_of_one_person_sent_at_once_share_one_case(source, routes):
    person = item(1)["respondent"]
    results = run_together([lambda n=n: ingest(source, [item(n, respondent=person)])[0] for n in range(1, 7)])
    assert all(result.status == "created" for result in results)
    assert Case.objects.count() == 1
    assert len({result.case for result in results}) == 1
    assert Case.objects.get().case_responses.count() == 6


@pytest.mark.parametrize("strategy", [Team.Strategy.ROUND_ROBIN, Team.Strategy.LEAST_LOADED])
def test_assignment_stays_fair_with_four_workers(source, routes, payroll, make_user, strategy):
    payroll.strategy = strategy
    payroll.save()
    for name in ("janis", "ilze", "liga"):
        add_member(team=payroll, user=make_user(name))
    batches = [[item(worker * 100 + n) for n in range(25)] for worker in range(4)]
    run_together([lambda batch=batch: ingest(source, batch) for batch in batches])
    counts = Counter(Case.objects.values_list("assignee__username", flat=True))
    assert sum(counts.values()) == 100 and None not in counts
    assert max(counts.values()) - min(counts.values()) <= 1, counts
