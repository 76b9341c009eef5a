"""Two people acting on the same case at the same moment (PostgreSQL: real parallel writers)."""

from collections import Counter

import pytest
from django.db import connection

from casework.cases import workflow
from casework.cases.models import Case, Event
from tests.threads import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database with real concurrent writers"),
]


def attempt(case, version, actor, to):
    """The case as the person loaded it, before anyone acted: both see the same status, so the only
    thing that can refuse the loser is the version check (not the lifecycle, as when one thread read
    the case after the other had already changed it)."""

    def change():
        try:
            workflow.change_status(case=case, to=to, actor=actor, expected_version=version)
        except workflow.CaseChanged:
            return "refused"
        return "changed"

    return change


def test_one_wins_and_the_other_is_told(payroll, make_case, janis, maija):
    case = make_case(team=payroll)
    workflow.change_status(case=case, to="in_progress", actor=janis)
    stale, version = case.version - 1, case.version
    seen = [Case.objects.get(pk=case.pk) for _ in range(3)]
    outcomes = run_together(
        [
            attempt(seen[0], version, janis, "waiting"),
            attempt(seen[1], version, maija, "resolved"),
            # Someone whose page is one change behind: refused whoever wins the race.
            attempt(seen[2], stale, maija, "resolved"),
        ]
    )
    assert outcomes[2] == "refused"
    assert Counter(outcomes) == {"changed": 1, "refused": 2}
    assert Event.objects.filter(case=case, kind="status").count() == 2
    final = Case.objects.get(pk=case.pk)
    assert final.version == version + 1
    assert final.status == Event.objects.filter(case=case, kind="status").latest("pk").data["to"]


def test_every_note_written_at_once_either_lands_or_its_writer_is_told(payroll, make_case, janis):
    case = make_case(team=payroll)

    def note(n):
        def write():
            try:
                workflow.add_note(case=Case.objects.get(pk=case.pk), actor=janis, text=f"note {n}")
            except workflow.CaseChanged:
                return "refused"
            return "landed"

        return write

    outcomes = run_together([note(n) for n in range(5)])
    landed = Event.objects.filter(case=case, kind="note").count()
    assert landed == outcomes.count("landed") >= 1
    assert outcomes.count("landed") + outcomes.count("refused") == 5
