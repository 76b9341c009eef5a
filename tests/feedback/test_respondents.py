"""Finding the person behind an answer (feedback/respondents.py): suppression by user id as well as by
address, the newest answer's details winning whatever order answers arrive in, the language kept, a
known user id never lost, and people who objected, restricted processing or were erased left untouched."""

import datetime

import pytest
from django.utils import timezone

from casework.feedback.models import Respondent, RespondentIdentity, Source, Suppression
from casework.feedback.respondents import Identity, email_fingerprint, id_fingerprint, match_respondent, match_respondents, respondent_fingerprints

pytestmark = pytest.mark.django_db


def _at(hours_ago):
    return timezone.now() - datetime.timedelta(hours=hours_ago)


def match(source, hours_ago=1, **identity):
    return match_respondent(source, Identity(**identity), answered_at=_at(hours_ago))


def test_a_suppressed_user_id_keeps_even_a_new_address_out(source):
    Suppression.objects.create(digest=id_fingerprint(source.pk, "u-1"))
    found = match(source, external_id="u-1", email="brand.new@example.com", name="Gone")
    assert (found.respondent, found.may_store_personal_data) == (None, False)
    assert not Respondent.objects.exists()


def test_a_suppressed_address_keeps_even_a_new_user_id_out(source):
    Suppression.objects.create(digest=email_fingerprint("gone@example.com"))
    found = match(source, external_id="u-new", email="Gone@Example.com")
    assert (found.respondent, found.may_store_personal_data) == (None, False)
    assert not Respondent.objects.exists() and not RespondentIdentity.objects.exists()


def test_an_answer_without_id_or_address_is_anonymous_but_may_be_stored(source):
    found = match(source, name="Someone", country="LV")
    assert (found.respondent, found.may_store_personal_data) == (None, True)
    assert not Respondent.objects.exists()


def test_a_new_person_is_stored_with_every_detail_and_their_user_id(source):
    found = match(source, hours_ago=2, external_id="u-1", email="Anna@Example.com", name="Anna", company="SIA", country="LV", locale="lv")
    person = Respondent.objects.get()
    assert found.respondent == person and found.may_store_personal_data and found.conflicts == ()
    assert (person.email, person.email_key, person.name, person.company, person.country, person.locale) == (
        "Anna@Example.com", "anna@example.com", "Anna", "SIA", "LV", "lv"
    )
    assert abs(person.details_as_of - _at(2)) < datetime.timedelta(seconds=5)
    assert list(RespondentIdentity.objects.values_list("source", "external_id", "respondent")) == [(source.pk, "u-1", person.pk)]


def test_a_newer_answer_updates_a_known_persons_details_and_an_older_one_does_not(source):
    match(source, hours_ago=5, external_id="u-1", email="anna@example.com", name="Anna", locale="en", country="LV")
    match(source, hours_ago=1, external_id="u-1", name="Anna Bērziņa", locale="lv")
    person = Respondent.objects.get()
    assert (person.name, person.locale, person.country) == ("Anna Bērziņa", "lv", "LV")
    assert abs(person.details_as_of - _at(1)) < datetime.timedelta(seconds=5)
    # An answer given before that one arrives late: it fills nothing the newer answer set.
    match(source, hours_ago=3, external_id="u-1", name="A. B.", locale="de", company="Old SIA")
    person.refresh_from_db()
    assert (person.name, person.locale) == ("Anna Bērziņa", "lv")
    assert person.company == "Old SIA"  # nothing newer said otherwise
    assert abs(person.details_as_of - _at(1)) < datetime.timedelta(seconds=5)


def test_in_one_batch_the_newest_answer_wins_whatever_the_order(source):
    entries = [
        (Identity(external_id="u-1", email="anna@example.com", name="Newest"), _at(1)),
        (Identity(external_id="u-1", email="anna@example.com", name="Oldest"), _at(9)),
        (Identity(external_id="u-1", email="anna@example.com", name="Middle"), _at(5)),
    ]
    matches = match_respondents(source, entries)
    assert len({found.respondent.pk for found in matches}) == 1
    assert Respondent.objects.get().name == "Newest"
    assert RespondentIdentity.objects.count() == 1


def test_an_answer_with_only_an_address_keeps_the_known_user_id(source):
    first = match(source, hours_ago=2, external_id="u-1", email="anna@example.com", name="Anna")
    again = match(source, hours_ago=1, email="ANNA@example.com", name="Anna B")
    assert again.respondent.pk == first.respondent.pk
    assert list(RespondentIdentity.objects.values_list("external_id", flat=True)) == ["u-1"]
    assert match(source, external_id="u-1").respondent.pk == first.respondent.pk
    assert Respondent.objects.get().name == "Anna B"


def test_a_known_person_gets_a_second_user_id_from_another_tool(source):
    other = Source.objects.create(name="Other tool", slug="other")
    first = match(source, external_id="u-1", email="anna@example.com")
    second = match(other, external_id="x-9", email="anna@example.com")
    assert second.respondent.pk == first.respondent.pk
    assert set(RespondentIdentity.objects.values_list("source", "external_id")) == {(source.pk, "u-1"), (other.pk, "x-9")}
    assert set(respondent_fingerprints(Respondent.objects.get())) == {
        email_fingerprint("anna@example.com"), id_fingerprint(source.pk, "u-1"), id_fingerprint(other.pk, "x-9")
    }


def test_an_address_is_filled_in_for_a_person_known_only_by_user_id(source):
    match(source, external_id="u-1", name="Anna")
    found = match(source, external_id="u-1", email="anna@example.com")
    assert found.conflicts == ()
    assert Respondent.objects.get().email_key == "anna@example.com"


@pytest.mark.parametrize("frozen", ["objected_at", "restricted_at", "erased_at"])
@pytest.mark.parametrize("found_by", ["external_id", "email"])
def test_a_person_who_objected_restricted_or_was_erased_is_left_untouched(source, frozen, found_by):
    first = match(source, hours_ago=3, external_id="u-1", email="anna@example.com", name="Anna", locale="lv")
    Respondent.objects.filter(pk=first.respondent.pk).update(**{frozen: timezone.now()})
    identity = {"external_id": "u-1"} if found_by == "external_id" else {"email": "anna@example.com"}
    found = match(source, hours_ago=1, name="Changed", locale="en", company="New SIA", **identity)
    assert found.respondent.pk == first.respondent.pk and not found.may_store_personal_data
    person = Respondent.objects.get()
    assert (person.name, person.locale, person.company) == ("Anna", "lv", "")
    assert abs(person.details_as_of - _at(3)) < datetime.timedelta(seconds=5)
