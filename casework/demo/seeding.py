"""Bulk data for benchmarks: N realistic responses and the cases the rules open, written with
bulk inserts (the workflow's one-at-a-time path would take minutes for 100,000 rows)."""

import datetime
import random
import secrets
from itertools import cycle

from django.db import transaction
from django.utils import timezone

from casework.cases.lifecycle import CloseReason, Status
from casework.cases import search
from casework.cases.models import Case, CaseResponse, Event
from casework.cases.numbering import reserve_case_numbers
from casework.feedback.metrics import SCORE_RANGES, Metric
from casework.feedback.models import Respondent, RespondentIdentity, Response, ResponseChannel, Source
from casework.intake.duetimes import due_at
from casework.intake.models import Route
from casework.intake.rules import active_rules, first_matching_rule, team_for
from casework.teams.models import Membership

BATCH = 5000
FIRST_NAMES = ["Anna", "Jānis", "Līga", "Mārtiņš", "Ilze", "Peter", "Sarah", "Tom", "Kristīne", "Edgars", "Laura", "Ōskars"]
LAST_NAMES = ["Bērziņa", "Ozols", "Kalniņš", "Smith", "Brown", "Liepa", "Zariņa", "Walker", "Krūmiņš", "Jansons"]
COUNTRIES = ["LV", "LV", "LV", "EE", "LT", "GB", "DE", "US"]
COMMENTS = {
    "bad": [
        "Payslips take forever to load.",
        "The bank export file was rejected again.",
        "Tax calculation was wrong for two employees.",
        "Algu lapiņas ielādējas ļoti lēni.",
        "Bankas eksporta fails atkal tika noraidīts.",
        "IIN aprēķins bija nepareizs, nācās labot ar roku.",
        "I want a refund for this month.",
        "Gribu atcelt abonementu, ja tas netiks salabots.",
        "",
    ],
    "middle": ["It works, mostly.", "Viss kārtībā, bet varētu būt ātrāk.", "Okay, a bit confusing.", ""],
    "good": ["Great support, thank you!", "Paldies, viss strādā lieliski.", "Fast and simple.", ""],
}


def seed_responses(count: int, *, rng: random.Random | None = None, now=None) -> dict:
    rng = rng or random.Random()
    now = now or timezone.now()
    source, _created = Source.objects.get_or_create(slug="seed", defaults={"name": "Seeded responses"})
    routes = list(Route.objects.select_related("team"))
    products = sorted({route.product for route in routes}) or ["Payroll"]
    rules = active_rules()
    members = _members_by_team()
    run = secrets.token_hex(3)
    respondents = _seed_respondents(source, max(1, count // 3), run, rng, now)
    countries = {respondent.pk: respondent.country for respondent in respondents}
    opened, open_by_key = 0, {}
    for start in range(0, count, BATCH):
        with transaction.atomic():
            batch = [
                _make_response(source, f"seed-{run}-{start + i}", rng.choice(respondents), products, rng, now)
                for i in range(min(BATCH, count - start))
            ]
            Response.objects.bulk_create(batch)
            opened += _open_cases(batch, countries, rules, routes, members, open_by_key, rng, now)
    return {"responses": count, "cases": opened, "respondents": len(respondents)}


def _members_by_team() -> dict:
    members = {}
    for membership in Membership.objects.select_related("user"):
        members.setdefault(membership.team_id, []).append(membership.user)
    return {team: cycle(users) for team, users in members.items()}


def _seed_respondents(source, count, run, rng, now) -> list[Respondent]:
    people = []
    for i in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people.append(
            Respondent(
                email=f"{run}.{i}@seed.example",
                email_key=f"{run}.{i}@seed.example",
                name=f"{first} {last}",
                company=f"{last} SIA",
                country=rng.choice(COUNTRIES),
                locale=rng.choice(["lv", "en"]),
                created_at=now,
            )
        )
    for person in people:
        person.derive_keys()
    people = Respondent.objects.bulk_create(people, batch_size=BATCH)
    RespondentIdentity.objects.bulk_create(
        [RespondentIdentity(source=source, external_id=f"seed-{run}-u{i}", respondent=person, created_at=now) for i, person in enumerate(people)],
        batch_size=BATCH,
    )
    return people


def _make_response(source, external_id, respondent, products, rng, now) -> Response:
    metric = rng.choices([Metric.NPS, Metric.CSAT, Metric.CES], weights=[6, 2, 2])[0]
    low, high = SCORE_RANGES[metric]
    score = rng.randint(low, high)
    tone = "bad" if score <= low + (high - low) * 0.5 else "good" if score >= high - 1 else "middle"
    answered_at = now - datetime.timedelta(minutes=rng.randint(1, 60 * 24 * 365))
    return Response(
        source_id=source.pk,
        external_id=external_id,
        respondent_id=respondent.pk,
        metric=metric,
        score=score,
        comment=rng.choice(COMMENTS[tone]),
        answered_at=answered_at,
        received_at=answered_at,
        channel=rng.choice(ResponseChannel.values),
        product=rng.choice(products),
        locale=respondent.locale,
    )


def _open_cases(responses, countries, rules, routes, members, open_by_key, rng, now) -> int:
    """Open a case per matching response; a later match of the same respondent and product joins the
    open case instead, as intake does."""
    planned, links = [], []
    for response in sorted(responses, key=lambda r: r.answered_at):
        country = countries[response.respondent_id]
        rule = first_matching_rule(response, rules, country=country)
        if rule is None:
            continue
        key = (response.respondent_id, response.product)
        if key in open_by_key:
            links.append((open_by_key[key], response))
            continue
        team = team_for(rule, response, country=country, routes=routes)
        if team is None:
            continue
        case = _make_case(response, rule, team, members, rng, now)
        planned.append(case)
        links.append((case, response))
        if case.status != Status.CLOSED:
            open_by_key[key] = case
    for case, number in zip(planned, reserve_case_numbers(len(planned)) if planned else []):
        case.number = number
    Case.objects.bulk_create(planned, batch_size=BATCH)
    CaseResponse.objects.bulk_create([CaseResponse(case_id=case.pk, response_id=r.pk) for case, r in links], batch_size=BATCH)
    Event.objects.bulk_create(
        [Event(case_id=case.pk, kind=Event.Kind.OPENED, created_at=case.created_at, data={}) for case in planned],
        batch_size=BATCH,
    )
    search.refresh_cases({case.pk for case, _response in links})
    return len(planned)


def _make_case(response, rule, team, members, rng, now) -> Case:
    opened = response.received_at
    age = now - opened
    status = rng.choices(list(Status), weights=[3, 3, 1, 1, 4] if age.days > 30 else [6, 3, 1, 1, 0])[0]
    assignee = next(members[team.pk]) if team.pk in members and status != Status.NEW else None
    case = Case(
        status=status,
        priority=rule.priority,
        team_id=team.pk,
        assignee_id=assignee.pk if assignee else None,
        respondent_id=response.respondent_id,
        response_id=response.pk,
        product=response.product,
        metric=response.metric,
        score=response.score,
        created_at=opened,
        first_contact_due_at=due_at(opened, rule.first_contact_hours, team=team),
        resolution_due_at=due_at(opened, rule.resolution_hours, team=team),
    )
    if status != Status.NEW:
        case.first_contacted_at = min(opened + datetime.timedelta(hours=rng.randint(1, 72)), now)
    if status in (Status.RESOLVED, Status.CLOSED):
        case.resolved_at = min(opened + datetime.timedelta(days=rng.randint(1, 10)), now)
    if status == Status.CLOSED:
        case.closed_at = case.resolved_at
        case.close_reason = rng.choice([CloseReason.NO_ACTION, CloseReason.UNREACHABLE])
    return case
