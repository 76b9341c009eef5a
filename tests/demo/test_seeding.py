import pytest
from django.core.management import call_command

from casework.cases.models import Case, CaseResponse
from casework.feedback.models import Response

pytestmark = pytest.mark.django_db


def test_seed_generates_responses_and_the_cases_rules_open(capsys):
    call_command("seed", "--responses", "600", "--random-seed", "7")
    seeded = Response.objects.filter(source__slug="seed")
    assert seeded.count() == 600
    cases = Case.objects.filter(response__source__slug="seed")
    assert 0 < cases.count() < 600
    # Every case's opening response is one of its responses, and no response is in two cases.
    assert CaseResponse.objects.filter(response__source__slug="seed").count() >= cases.count()
    for case in cases.select_related("response")[:50]:
        assert case.response.metric in ("nps", "csat", "ces")
        assert case.case_responses.filter(response=case.response).exists()
    assert "Seeded 600 responses" in capsys.readouterr().out


def test_seeding_twice_adds_more_without_clashing():
    call_command("seed", "--responses", "200")
    call_command("seed", "--responses", "200")
    assert Response.objects.filter(source__slug="seed").count() == 400


def test_seed_refuses_a_count_below_one():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("seed", "--responses", "0")
