"""Every case-list filter, on every case list (My cases, All cases, a team queue): a case that matches is
listed and one that does not is not. Both cases of a pair are on the list before filtering, so a filter
that returned the wrong rows (yes/no swapped, a field mixed up, a range off by one) fails here."""

import datetime

import pytest
from django.utils import timezone

from casework.cases.lifecycle import Status
from casework.cases import search
from casework.cases.models import Case, Contact
from casework.feedback.models import Respondent
from casework.teams.membership import add_member
from casework.teams.models import Membership

pytestmark = pytest.mark.django_db

MINE, ALL, QUEUE = "/", "/cases/", "/teams/payroll/"
LISTS = [MINE, ALL, QUEUE]


def listed(client, url, params) -> set[int]:
    answer = client.get(url, params)
    # A refused filter answers 400 with an empty list, which would make "not listed" true for nothing.
    assert answer.status_code == 200, answer.context["filter"].errors if answer.context else answer
    return {case.pk for case in answer.context["page"].object_list}


def _set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def _ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def _ahead(**delta):
    return timezone.now() + datetime.timedelta(**delta)


def _opened_on(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def _in_country(case, country):
    Respondent.objects.filter(pk=case.respondent_id).update(country=country)
    return case


def _named(case, name, email):
    Respondent.objects.filter(pk=case.respondent_id).update(name=name, email=email)
    search.refresh_cases([case.pk])  # as the services that change a person's details do
    return case


def _with_note(case, summary):
    Contact.objects.create(
        case=case,
        channel=Contact.Channel.PHONE,
        direction=Contact.Direction.OUTBOUND,
        outcome=Contact.Outcome.REACHED,
        summary=summary,
        contacted_at=timezone.now(),
        created_by=case.assignee,
    )
    search.refresh_cases([case.pk])  # as workflow.log_contact does
    return case


# (filter, query string, how to make the case that matches, how to make the one that does not). Both
# cases are open, in Payroll and assigned to Maija, so each list shows both without a filter.
PAIRS = [
    ("status", {"status": "in_progress"}, lambda m: _set(m(), status=Status.IN_PROGRESS), lambda m: m()),
    ("status", {"status": "waiting"}, lambda m: _set(m(), status=Status.WAITING), lambda m: _set(m(), status=Status.IN_PROGRESS)),
    ("status", {"status": "new"}, lambda m: m(), lambda m: _set(m(), status=Status.RESOLVED)),
    ("status", {"status": "open"}, lambda m: _set(m(), status=Status.RESOLVED), None),
    ("priority", {"priority": "3"}, lambda m: _set(m(), priority=3), lambda m: _set(m(), priority=2)),
    ("priority", {"priority": "1"}, lambda m: _set(m(), priority=1), lambda m: _set(m(), priority=4)),
    ("metric", {"metric": "ces"}, lambda m: m(metric="ces", score=2), lambda m: m(metric="nps", score=2)),
    ("metric", {"metric": "csat"}, lambda m: m(metric="csat", score=1), lambda m: m(metric="ces", score=1)),
    ("band", {"band": "detractor"}, lambda m: m(metric="nps", score=6), lambda m: m(metric="nps", score=7)),
    ("band", {"band": "passive"}, lambda m: m(metric="nps", score=8), lambda m: m(metric="nps", score=9)),
    ("band", {"band": "promoter"}, lambda m: m(metric="nps", score=9), lambda m: m(metric="nps", score=6)),
    # A band belongs to one metric: CSAT 1 is "negative", never an NPS "detractor".
    ("band", {"band": "detractor"}, lambda m: m(metric="nps", score=0), lambda m: m(metric="csat", score=1)),
    ("band", {"band": "negative"}, lambda m: m(metric="csat", score=2), lambda m: m(metric="csat", score=3)),
    ("band", {"band": "neutral"}, lambda m: m(metric="ces", score=4), lambda m: m(metric="ces", score=5)),
    ("band", {"band": "positive"}, lambda m: m(metric="csat", score=4), lambda m: m(metric="nps", score=10)),
    ("product", {"product": "payroll app"}, lambda m: m(product="Payroll App"), lambda m: m(product="Payroll App Pro")),
    ("country", {"country": "lv"}, lambda m: _in_country(m(), "LV"), lambda m: _in_country(m(), "EE")),
    ("country", {"country": "EE"}, lambda m: _in_country(m(), "EE"), lambda m: _in_country(m(), "LV")),
    (
        "overdue",
        {"overdue": "true"},
        lambda m: _set(m(), first_contact_due_at=_ago(minutes=5)),
        lambda m: _set(m(), first_contact_due_at=_ahead(hours=1)),
    ),
    (
        "overdue",
        {"overdue": "true"},
        lambda m: _set(m(), first_contacted_at=_ago(days=2), resolution_due_at=_ago(minutes=5)),
        lambda m: _set(m(), first_contact_due_at=_ago(days=3), first_contacted_at=_ago(days=4), resolution_due_at=_ahead(days=1)),
    ),
    (
        "overdue",
        {"overdue": "false"},
        lambda m: _set(m(), first_contact_due_at=_ahead(hours=1), resolution_due_at=_ahead(days=1)),
        lambda m: _set(m(), first_contact_due_at=_ago(minutes=5)),
    ),
    ("commented", {"commented": "true"}, lambda m: m(comment="Slow payslips"), lambda m: m(comment="")),
    ("commented", {"commented": "false"}, lambda m: m(comment=""), lambda m: m(comment="Slow payslips")),
    (
        "opened between",
        {"created_after": "2026-03-01", "created_before": "2026-03-31"},
        lambda m: _set(m(), created_at=_opened_on(2026, 3, 31, 23)),
        lambda m: _set(m(), created_at=_opened_on(2026, 4, 1, 0)),
    ),
    (
        "opened between",
        {"created_after": "2026-03-01", "created_before": "2026-03-31"},
        lambda m: _set(m(), created_at=_opened_on(2026, 3, 1, 0)),
        lambda m: _set(m(), created_at=_opened_on(2026, 2, 28, 23)),
    ),
    ("opened between", {"created_after": "2026-03-10"}, lambda m: _set(m(), created_at=_opened_on(2026, 3, 10)), lambda m: _set(m(), created_at=_opened_on(2026, 3, 9))),
    ("opened between", {"created_before": "2026-03-10"}, lambda m: _set(m(), created_at=_opened_on(2026, 3, 10)), lambda m: _set(m(), created_at=_opened_on(2026, 3, 11))),
    ("search", {"q": "ozoliņa"}, lambda m: _named(m(), "Ilze Ozoliņa", "ilze@example.com"), lambda m: _named(m(), "Ilze Kalna", "ozols@example.com")),
    ("search", {"q": "IK@Firma"}, lambda m: _named(m(), "Ilze Kalna", "ik@firma.lv"), lambda m: _named(m(), "Ik Firma", "ilze@example.com")),
    ("search", {"q": "payslip"}, lambda m: m(comment="Payslips arrive late"), lambda m: m(comment="Slow pages")),
    ("search", {"q": "called back"}, lambda m: _with_note(m(), "Called back, she is happy now"), lambda m: _with_note(m(), "Left a voicemail")),
]
PAIR_IDS = [f"{name}-{'&'.join(f'{key}={value}' for key, value in params.items())}-{index}" for index, (name, params, _m, _o) in enumerate(PAIRS)]


@pytest.fixture
def make(maija, make_case, payroll):
    def make_one(**response_fields):
        case = make_case(team=payroll, **response_fields)
        return _set(case, assignee=maija)

    return make_one


@pytest.fixture
def maija_in_two_teams(maija, accounting):
    add_member(team=accounting, user=maija, role=Membership.Role.STAFF)
    return maija


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("name, params, matching, other", PAIRS, ids=PAIR_IDS)
def test_a_filter_lists_the_case_that_matches_and_not_the_one_that_does_not(client, maija, make, url, name, params, matching, other):
    wanted = matching(make)
    unwanted = other(make) if other else _set(make(), status=Status.CLOSED, closed_at=timezone.now())
    client.force_login(maija)
    unfiltered = listed(client, url, {})
    if other is None and url != ALL:
        # My cases and the queues never show a closed case; "open" then keeps what they show.
        assert unfiltered == {wanted.pk} == listed(client, url, params)
        return
    assert {wanted.pk, unwanted.pk} <= unfiltered
    assert wanted.pk in listed(client, url, params)
    assert unwanted.pk not in listed(client, url, params)


@pytest.mark.parametrize("url", LISTS)
def test_the_search_finds_a_case_by_its_reference_with_or_without_the_prefix(client, maija, make, url):
    wanted, unwanted = make(), make()
    client.force_login(maija)
    for query in (wanted.reference, wanted.reference.lower(), str(wanted.number)):
        assert listed(client, url, {"q": query}) == {wanted.pk}, query
    assert unwanted.pk in listed(client, url, {"q": ""})


def test_the_status_filter_on_all_cases_finds_closed_cases_and_open_leaves_them_out(client, maija, make):
    closed = _set(make(), status=Status.CLOSED, closed_at=timezone.now())
    open_one = make()
    client.force_login(maija)
    assert listed(client, ALL, {"status": "closed"}) == {closed.pk}
    assert listed(client, ALL, {"status": "open"}) == {open_one.pk}
    assert listed(client, ALL, {}) == {closed.pk, open_one.pk}


@pytest.mark.parametrize("url", [MINE, QUEUE])
def test_closed_cases_are_not_on_my_cases_or_the_queue_whatever_the_status_filter(client, maija, make, url):
    make(), _set(make(), status=Status.CLOSED, closed_at=timezone.now())
    client.force_login(maija)
    assert listed(client, url, {"status": "closed"}) == set()


@pytest.mark.parametrize("url", LISTS)
def test_the_team_filter(client, maija_in_two_teams, make, make_case, accounting, url):
    in_payroll = make()
    in_accounting = _set(make_case(team=accounting), assignee=maija_in_two_teams)
    client.force_login(maija_in_two_teams)
    payroll_id = str(in_payroll.team_id)
    assert in_payroll.pk in listed(client, url, {"team": payroll_id})
    assert in_accounting.pk not in listed(client, url, {"team": payroll_id})
    assert in_payroll.pk not in listed(client, url, {"team": str(accounting.pk)})
    if url != QUEUE:  # the Payroll queue holds Payroll's cases only
        assert in_accounting.pk in listed(client, url, {"team": str(accounting.pk)})


@pytest.mark.parametrize("url", [ALL, QUEUE])
def test_the_assignee_filter(client, maija, janis, make, url):
    mine = make()
    janis_s = _set(make(), assignee=janis)
    nobody_s = _set(make(), assignee=None)
    client.force_login(maija)
    assert listed(client, url, {}) == {mine.pk, janis_s.pk, nobody_s.pk}
    assert listed(client, url, {"assignee": "me"}) == {mine.pk}
    assert listed(client, url, {"assignee": "unassigned"}) == {nobody_s.pk}
    assert listed(client, url, {"assignee": str(janis.pk)}) == {janis_s.pk}


def test_the_assignee_filter_on_my_cases(client, maija, janis, make):
    mine = make()
    client.force_login(maija)
    assert listed(client, MINE, {"assignee": "me"}) == {mine.pk}
    assert listed(client, MINE, {"assignee": str(janis.pk)}) == set()
    assert listed(client, MINE, {"assignee": "unassigned"}) == set()


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("sort, first", [("priority", "low"), ("-priority", "high"), ("", "high")])
def test_sorting(client, maija, make, url, sort, first):
    low, high = _set(make(), priority=1), _set(make(), priority=4)
    client.force_login(maija)
    answer = client.get(url, {"sort": sort})
    order = [case.pk for case in answer.context["page"].object_list]
    assert order == ([low.pk, high.pk] if first == "low" else [high.pk, low.pk])


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    "params", [{"status": "shredded"}, {"priority": "9"}, {"band": "angry"}, {"team": "99999"}, {"assignee": "99999"}, {"created_after": "0001-01-01"}]
)
def test_a_value_that_is_not_offered_is_refused_not_ignored(client, maija, make, url, params):
    make()
    client.force_login(maija)
    answer = client.get(url, params)
    assert answer.status_code == 400
    assert list(answer.context["page"].object_list) == []
