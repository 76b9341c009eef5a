"""The database refuses rows that break the rules of what came in."""

import datetime

import pytest
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from casework.feedback.models import Respondent, RespondentIdentity, Response, Source

pytestmark = pytest.mark.django_db


def response_row(source, **fields):
    values = {
        "source": source,
        "external_id": "r-1",
        "metric": "nps",
        "score": 5,
        "answered_at": timezone.now() - datetime.timedelta(minutes=5),
    }
    values.update(fields)
    return Response(**values)


def test_one_response_per_source_and_external_id(source):
    response_row(source).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        response_row(source, score=9).save()
    assert Response.objects.count() == 1


def test_same_external_id_from_another_source_is_a_different_response(source):
    from casework.feedback.models import Source

    other = Source.objects.create(name="CSV", slug="csv")
    response_row(source).save()
    response_row(other).save()
    assert Response.objects.count() == 2


@pytest.mark.parametrize(
    ("metric", "score"),
    [("nps", -1), ("nps", 11), ("ces", 0), ("ces", 8), ("csat", 0), ("csat", 6), ("xyz", 3)],
)
def test_score_outside_its_metric_range_is_refused(source, metric, score):
    with pytest.raises(IntegrityError), transaction.atomic():
        response_row(source, metric=metric, score=score).save()
    assert not Response.objects.exists()


@pytest.mark.parametrize(("metric", "score"), [("nps", 0), ("nps", 10), ("ces", 1), ("ces", 7), ("csat", 1), ("csat", 5)])
def test_scores_at_the_ends_of_each_range_are_kept(source, metric, score):
    response_row(source, metric=metric, score=score).save()
    assert Response.objects.get().score == score


def test_unknown_channel_is_refused(source):
    with pytest.raises(IntegrityError), transaction.atomic():
        response_row(source, channel="fax").save()


@pytest.mark.parametrize("other", ["anna@example.COM", "ANNA@Example.com "])
def test_respondent_email_is_unique_whatever_the_case(other):
    Respondent.objects.create(email="Anna@Example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Respondent.objects.create(email=other)
    Respondent.objects.create(email="")
    Respondent.objects.create(email="")
    assert Respondent.objects.count() == 3


def test_an_internationalised_domain_is_one_address_however_it_is_spelled():
    Respondent.objects.create(email="x@bücher.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        Respondent.objects.create(email="x@xn--bcher-kva.example")


def test_a_user_id_is_unique_within_its_source_only(source):
    other_source = Source.objects.create(name="Another tool", slug="another")
    alice, bob = Respondent.objects.create(email="alice@example.com"), Respondent.objects.create(email="bob@example.com")
    RespondentIdentity.objects.create(source=source, external_id="u-77", respondent=alice)
    RespondentIdentity.objects.create(source=other_source, external_id="u-77", respondent=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        RespondentIdentity.objects.create(source=source, external_id="u-77", respondent=bob)


@pytest.mark.parametrize("country", ["lv", "LVA", "L1"])
def test_country_must_be_an_iso_alpha_2_code(country):
    # PostgreSQL refuses an over-long value as a DataError, SQLite through the check constraint.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Respondent.objects.create(country=country)
