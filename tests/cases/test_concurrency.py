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


def attempt(case_pk, version, actor, to):
    def change():
        case = Case.objects.get(pk=case_pk)
        try:
            workflow.change_status(case=case, to=to, actor=actor, expected_version=version)
        except workflow.CaseChanged:
            return "refused"
        return "changed"

    return change


def test_one_wins_and_the_other_is_told(payroll, make_case, janis, maija):
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(status="in_progress")
    version = Case.objects.get(pk=case.pk).version
    outcomes = run_together([attempt(case.pk, version, janis, "waiting"), attempt(case.pk, version, maija, "resolved")])
    assert Counter(outcomes) == {"changed": 1, "refused": 1}
    assert Event.objects.filter(case=case, kind="status").count() == 1
    final = Case.objects.get(pk=case.pk)
    assert final.version == version + 1
    assert final.status == Event.objects.get(case=case, kind="status").data["to"]


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
