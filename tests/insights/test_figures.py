"""Each figure on small hand-made data whose answers are known (DESIGN.md, "Figures")."""

import datetime

import pytest
from django.urls import reverse

from casework.cases.models import Tag
from casework.insights.periods import Period, period_for

from .conftest import PERIOD, RIGA, at, figures, value

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def test_no_answers_means_no_score_and_the_page_says_so(client, maija, routes):
    tables = figures(maija)
    assert tables["scores"].rows == [] and tables["bands"].rows == []
    assert value(tables["loop"], "loop_rate") is None and value(tables["loop"], "contact_median") is None
    assert value(tables["recovery"], "better") is None
    client.force_login(maija)
    page = client.get(reverse("insights:dashboard"), {"period": "custom", "start": "2025-11-03", "end": "2025-11-16"})
    assert page.status_code == 200
    assert "No answers in this period." in page.text


def test_only_passives_make_an_nps_of_zero(admin_user, answer):
    for score in (7, 8, 8):
        answer(score)
    tables = figures(admin_user)
    nps = tables["scores"].row("nps")
    assert nps["answers"] == 3 and nps["score"] == 0
    assert tables["bands"].row("nps-passive")["share"] == 100.0
    assert tables["bands"].row("nps-detractor")["answers"] == 0 and tables["bands"].row("nps-promoter")["answers"] == 0


def test_scores_follow_the_definitions_and_compare_with_the_previous_period(admin_user, answer):
    answer(10, when=at(5))
    answer(0, when=at(6))
    answer(9, when=at(7))
    answer(0, when=at(28, month=10))  # the fortnight before: NPS −100
    answer(10, when=at(17))  # the day after the period
    answer(4, metric="csat")
    answer(2, metric="csat")
    answer(5, metric="ces")
    answer(4, metric="ces")
    answer(7, metric="ces")
    scores = figures(admin_user)["scores"]
    nps = scores.row("nps")
    assert (nps["answers"], nps["score"], nps["previous"], nps["change"]) == (3, 33.3, -100, 133.3)
    assert scores.row("csat")["score"] == 50.0
    assert scores.row("ces")["score"] == 66.7


def test_filters_narrow_the_answers(admin_user, answer, payroll):
    answer(10, product="Payroll", channel="web")
    answer(0, product="Payroll", channel="email")
    answer(0, product="Accounting", channel="web")
    assert figures(admin_user, product="Payroll")["scores"].row("nps")["answers"] == 2
    assert figures(admin_user, channel="web")["scores"].row("nps")["score"] == 0
    assert figures(admin_user, country="EE")["scores"].rows == []
    assert figures(admin_user, country="LV")["scores"].row("nps")["answers"] == 3


def test_the_closed_loop_rate_counts_a_case_closed_without_an_email(admin_user, payroll, case_at, notify):
    emailed = case_at(team=payroll, status="closed", closed_at=at(8), close_reason="notified")
    notify(emailed, "sent", when=at(8))
    case_at(team=payroll, status="closed", closed_at=at(9), close_reason="unreachable")
    case_at(team=payroll, status="closed", closed_at=at(20), close_reason="unreachable")  # after the period
    loop = figures(admin_user)["loop"]
    assert value(loop, "opened") == 3
    assert (value(loop, "closed"), value(loop, "closed_emailed")) == (2, 1)
    assert value(loop, "loop_rate") == 50.0 and value(loop, "loop_rate", "based_on") == 2


def test_times_to_first_contact_and_to_the_closing_email(admin_user, payroll, case_at, notify):
    opened = at(5, 8)
    for hours in (1, 2, 3, 4, 10):
        case = case_at(team=payroll, opened=opened, first_contacted_at=opened + hours * HOUR)
        if hours == 1:
            notify(case, "sent", when=opened + 24 * HOUR)
            notify(case, "sent", when=opened + 100 * HOUR)  # a later message: the first one closed the loop
        if hours == 2:
            notify(case, "sent", when=opened + 48 * HOUR)
        if hours == 3:
            notify(case, "failed", when=opened + 5 * HOUR)  # never reached anyone
    loop = figures(admin_user)["loop"]
    assert (value(loop, "contact_median"), value(loop, "contact_p90")) == (3.0, 10.0)
    assert value(loop, "contact_median", "based_on") == 5
    assert (value(loop, "email_median"), value(loop, "email_p90")) == (24.0, 48.0)
    assert value(loop, "email_median", "based_on") == 2


def test_first_contact_within_its_time(admin_user, payroll, case_at):
    due = at(7)
    case_at(team=payroll, first_contact_due_at=due, first_contacted_at=due - HOUR)
    case_at(team=payroll, first_contact_due_at=due, first_contacted_at=due + HOUR)
    case_at(team=payroll, first_contact_due_at=due)  # nobody reached them: late
    case_at(team=payroll, first_contact_due_at=at(20))  # due after the period
    loop = figures(admin_user)["loop"]
    assert value(loop, "sla_met") == 33.3 and value(loop, "sla_met", "based_on") == 3


def test_notifications_by_status_and_reason(admin_user, payroll, case_at, notify):
    cases = [case_at(team=payroll) for _ in range(4)]
    notify(cases[0], "sent", when=at(8))
    notify(cases[1], "failed", when=at(8))
    notify(cases[2], "suppressed", when=at(8), reason="The respondent objected to contact.")
    notify(cases[3], "suppressed", when=at(9), reason="The respondent objected to contact.")
    notify(cases[3], "sent", when=at(1))  # before the period
    rows = {(row["status"], row["reason"]): row["notifications"] for row in figures(admin_user)["notifications"].rows}
    assert rows == {("Sent", ""): 1, ("Failed", ""): 1, ("Suppressed", "The respondent objected to contact."): 2}


def test_open_cases_by_age_in_local_days(admin_user, payroll, case_at, now):
    today = now.astimezone(RIGA).replace(hour=0, minute=30)
    for days in (0, 2, 10, 40):
        case_at(team=payroll, opened=today - datetime.timedelta(days=days))
    case_at(team=payroll, opened=today - datetime.timedelta(days=2), status="closed", closed_at=now)
    age = figures(admin_user)["age"]
    assert [row["cases"] for row in age.rows] == [1, 1, 0, 1, 1]


def test_weeks_begin_on_local_mondays_across_the_autumn_clock_change(admin_user, answer):
    # Riga's clocks went back on Sunday 25 October 2026; the next week began at local midnight after it.
    answer(10, when=datetime.datetime(2026, 10, 25, 23, 30, tzinfo=RIGA))  # 21:30 UTC, still Sunday here
    answer(0, when=datetime.datetime(2026, 10, 26, 0, 30, tzinfo=RIGA))  # 22:30 UTC on Sunday, Monday here
    trend = figures(admin_user, period=Period(datetime.date(2026, 10, 19), datetime.date(2026, 11, 1)))["trend"]
    assert [(row["week"], row["answers"], row["score"]) for row in trend.rows] == [
        (datetime.date(2026, 10, 19), 1, 100.0),
        (datetime.date(2026, 10, 26), 1, -100.0),
    ]


def test_recovery_leaves_out_respondents_with_no_next_answer(admin_user, payroll, case_at, answer):
    better = case_at(team=payroll, score=3, status="closed", closed_at=at(8))
    answer(9, respondent=better.respondent, when=at(10))
    same_band = case_at(team=payroll, score=5, status="closed", closed_at=at(9))
    answer(6, respondent=same_band.respondent, when=at(12))
    answer(2, respondent=same_band.respondent, when=at(13))  # only the next answer counts
    case_at(team=payroll, score=4, status="closed", closed_at=at(9))  # never answered again
    earlier = case_at(team=payroll, score=4, status="closed", closed_at=at(9))
    answer(10, respondent=earlier.respondent, when=at(6))  # before the closing: not a next answer
    recovery = figures(admin_user)["recovery"]
    assert value(recovery, "closed") == 4
    assert (value(recovery, "answered_again"), value(recovery, "people")) == (2, 2)
    assert value(recovery, "better") == 50.0
    assert value(recovery, "median_change") == 1  # changes +1 and +6; the lower middle value of two


def test_top_root_causes_and_products_among_unhappy_answers(admin_user, payroll, case_at):
    slow, billing = Tag.objects.create(name="slow payslips"), Tag.objects.create(name="billing error")
    case_at(team=payroll, score=2, tags=[slow])
    case_at(team=payroll, score=1, metric="csat", tags=[slow, billing])
    case_at(team=payroll, score=3)
    case_at(team=payroll, score=0, tags=[billing])
    case_at(team=payroll, score=10, tags=[slow])  # a promoter: not a complaint
    case_at(team=payroll, score=1, tags=[slow], opened=at(30, month=10))  # the fortnight before
    tables = figures(admin_user)
    tags = {row["name"]: (row["cases"], row["share"], row["previous"], row["change"]) for row in tables["tags"].rows}
    assert tags == {"slow payslips": (2, 50.0, 1, 1), "billing error": (2, 50.0, 0, 2)}
    assert [(row["name"], row["cases"]) for row in tables["products"].rows] == [("Payroll", 4)]


def test_presets_are_whole_local_days_ending_today():
    today = datetime.date(2026, 11, 25)
    assert period_for("7d", today=today) == Period(datetime.date(2026, 11, 19), today)
    assert period_for("quarter", today=today) == Period(datetime.date(2026, 10, 1), today)
    assert PERIOD.previous() == Period(datetime.date(2025, 10, 20), datetime.date(2025, 11, 2))
