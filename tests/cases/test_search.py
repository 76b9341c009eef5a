"""Free-text search on the database's full-text index: the same answers on SQLite and PostgreSQL
(CI runs this file on both), without accents or letter case, over case number, name, e-mail,
company, comments and contact notes; kept in step with every write, erasure included."""

import pytest
from django.urls import reverse

from casework.cases import search, views, workflow
from casework.cases.lifecycle import Priority
from casework.cases.models import Case, CaseSearch
from casework.feedback.models import Respondent
from casework.privacy import erasure, rights

pytestmark = pytest.mark.django_db


@pytest.fixture
def berzina(make_case, make_response, payroll):
    person = Respondent.objects.create(email="Anna.Berzina@Pasts.lv", name="Anna Bērziņa", company="Ābele SIA", country="LV")
    response = make_response(respondent=person, comment="Algu lapiņas ielādējas ļoti lēni")
    from casework.cases import opening

    return opening.open_case(response=response, team=payroll, priority=Priority.NORMAL)


@pytest.fixture
def other(make_case, payroll):
    return make_case(team=payroll, comment="Great support, thank you")


def found(client, user, query, **filters):
    client.force_login(user)
    answer = client.get(reverse("cases:list"), {"q": query, **filters})
    assert answer.status_code == 200
    return [case.number for case in answer.context["page"].object_list]


@pytest.mark.parametrize(
    "query",
    ["berzina", "Bērziņa", "BERZIŅA", "anna berz", "ābele", "abele sia", "lapinas", "LĒNI", "ielad"],
)
def test_accented_and_plain_forms_find_the_case(client, janis, berzina, other, query):
    assert found(client, janis, query) == [berzina.number]


@pytest.mark.parametrize("query", ["anna.berzina@pasts.lv", "anna.berzina", "pasts.lv", "berzina@pasts", "PASTS"])
def test_e_mail_addresses_and_their_parts(client, janis, berzina, other, query):
    assert found(client, janis, query) == [berzina.number]


@pytest.mark.parametrize("query", ["{ref}", "{number}", "cw {number}"])
def test_case_numbers(client, janis, berzina, other, query):
    text = query.format(ref=other.reference.lower(), number=other.number)
    assert found(client, janis, text)[0] == other.number


def test_contact_notes_are_searched_as_soon_as_logged(client, janis, berzina, other):
    assert found(client, janis, "atzvanīt") == []
    workflow.log_contact(case=other, actor=janis, channel="phone", direction="outbound", outcome="no_answer", summary="Lūdza atzvanīt rīt")
    assert found(client, janis, "atzvanit") == [other.number]


def test_quoted_words_are_one_phrase(client, janis, berzina, other):
    assert found(client, janis, '"thank support"') == []
    assert found(client, janis, 'support thank') == [other.number]
    assert found(client, janis, '"support, thank yo"') == [other.number]


def test_every_word_must_match_and_nonsense_finds_nothing(client, janis, berzina, other):
    assert found(client, janis, "anna support") == []
    assert found(client, janis, "zzzz") == []
    assert sorted(found(client, janis, "  \"' * ( -- ")) == [berzina.number, other.number]  # no words: no search


def test_search_keeps_to_the_cases_the_user_may_see(client, anna, berzina):
    assert found(client, anna, "berzina") == []


def test_heading_matches_rank_above_comment_matches_then_urgency(client, janis, payroll, make_case, make_response):
    named = Respondent.objects.create(email="x@example.com", name="Refund Person", country="LV")
    by_name = make_case(team=payroll, respondent=named, comment="nothing")
    urgent = make_case(team=payroll, comment="I want a refund")
    calm = make_case(team=payroll, comment="refund please")
    Case.objects.filter(pk=urgent.pk).update(priority=Priority.URGENT)
    assert found(client, janis, "refund") == [by_name.number, urgent.number, calm.number]


def test_rectified_details_are_found_by_the_new_name_only(client, janis, dace, berzina):
    rights.rectify(respondent=berzina.respondent, actor=dace, changes={"name": "Anna Kalniņa"})
    assert found(client, janis, "kalnina") == [berzina.number]
    assert found(client, janis, "berzina") == [berzina.number]  # still in the e-mail address
    assert found(client, janis, "bērziņa anna") == [berzina.number]


def test_erased_text_leaves_the_index(client, janis, dace, berzina, other):
    workflow.log_contact(case=berzina, actor=janis, channel="phone", direction="outbound", outcome="reached", summary="Runāju ar Annu")
    erasure.erase_respondent(respondent=berzina.respondent, actor=dace, confirm="anna.berzina@pasts.lv")
    for query in ("berzina", "anna", "abele", "lapinas", "runaju", "pasts.lv"):
        assert found(client, janis, query) == [], query
    document = CaseSearch.objects.get(case=berzina)
    assert "berzina" not in document.heading + document.email + document.body and "runaju" not in document.body
    assert found(client, janis, berzina.reference) == [berzina.number]  # the number stays


def test_a_long_search_says_more_than_it_counted(client, janis, berzina, other, monkeypatch):
    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 1)
    client.force_login(janis)
    text = client.get(reverse("cases:list"), {"q": "cw"}).text
    assert "More than 1 cases" in text


def test_plain_text_is_the_same_for_every_spelling():
    assert search.plain("Ōskars BĒRZIŅŠ, anna.berzina@example.com; CW-1042") == "oskars berzins anna berzina example com cw 1042"
