"""Loading fixtures/demo.json: the demo users, teams and routes (the rules are the defaults that
ship with Casework), and responses whose cases are
walked through the real workflow so that the timeline reads as it would in real use."""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from casework.cases import opening, workflow
from casework.cases.lifecycle import CloseReason, Status
from casework.feedback.contact_details import email_key
from casework.feedback.models import Respondent, RespondentIdentity, Response, Source
from casework.intake.duetimes import due_at
from casework.intake.models import Route
from casework.intake.rules import active_rules, first_matching_rule, team_for
from casework.outreach.models import Notification
from casework.teams.membership import add_member
from casework.teams.models import Team

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
User = get_user_model()


class DemoDataError(Exception):
    pass


def demo_is_loaded() -> bool:
    return User.objects.filter(username="admin").exists()


@transaction.atomic
def load_demo(path: Path = DEMO_FILE, *, now: datetime.datetime | None = None) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    now = now or timezone.now()
    users = _load_users(data["users"], data["password"])
    teams = _load_teams(data["teams"], users)
    for route in data["routes"]:
        Route.objects.update_or_create(
            product=route["product"], country=route.get("country", ""), defaults={"team": teams[route["team"]]}
        )
    sources = {
        item["slug"]: Source.objects.get_or_create(slug=item["slug"], defaults={"name": item["name"]})[0]
        for item in data["sources"]
    }
    rules = active_rules()
    routes = list(Route.objects.select_related("team"))
    cases = 0
    for item in sorted(data["responses"], key=lambda item: -item["days_ago"]):
        response = _load_response(item, sources, now)
        if "case" in item:
            _load_case(item, response, rules, routes, users, now)
            cases += 1
    return {"users": len(users), "teams": len(teams), "responses": len(data["responses"]), "cases": cases}


def _load_users(items, password) -> dict:
    users = {}
    privacy = Permission.objects.get(codename="handle_privacy_requests", content_type__app_label="feedback")
    for item in items:
        user, _created = User.objects.get_or_create(username=item["username"])
        user.first_name, user.last_name, user.email = item["first_name"], item["last_name"], item["email"]
        user.is_staff = user.is_superuser = item["role"] == "admin"
        user.set_password(password)
        user.save()
        if item["role"] == "privacy":
            user.user_permissions.add(privacy)
        users[user.username] = user
    return users


def _load_teams(items, users) -> dict:
    teams = {}
    for item in items:
        team, _created = Team.objects.update_or_create(
            slug=item["slug"], defaults={"name": item["name"], "strategy": item["strategy"]}
        )
        for member in item["members"]:
            add_member(team=team, user=users[member["user"]], role=member["role"])
        teams[team.slug] = team
    return teams


def _load_response(item, sources, now) -> Response:
    person = item["respondent"]
    source = sources[item["source"]]
    identity = RespondentIdentity.objects.filter(source=source, external_id=person["id"]).select_related("respondent").first()
    respondent = identity.respondent if identity else None
    if respondent is None and person.get("email"):
        respondent = Respondent.objects.filter(email_key=email_key(person["email"])).first()
    respondent = respondent or Respondent()
    for key in ("email", "name", "company", "country", "locale"):
        setattr(respondent, key, person.get(key, ""))
    respondent.save()
    if identity is None:
        RespondentIdentity.objects.create(source=source, external_id=person["id"], respondent=respondent)
    answered_at = now - datetime.timedelta(days=item["days_ago"])
    return Response.objects.create(
        source=source,
        external_id=item["id"],
        respondent=respondent,
        metric=item["metric"],
        score=item["score"],
        comment=item["comment"],
        answered_at=answered_at,
        received_at=answered_at + datetime.timedelta(seconds=20),
        channel=item["channel"],
        product=item["product"],
        page_url=item.get("url", ""),
        locale=item["locale"],
    )


def _load_case(item, response, rules, routes, users, now) -> None:
    spec = item["case"]
    country = response.respondent.country
    rule = first_matching_rule(response, rules, country=country)
    if rule is None:
        raise DemoDataError(f"{item['id']} has a case in the demo file but matches no rule")
    team = team_for(rule, response, country=country, routes=routes)
    opened = response.received_at + datetime.timedelta(minutes=1)
    case = opening.open_case(
        response=response,
        team=team,
        priority=rule.priority,
        first_contact_due_at=due_at(opened, rule.first_contact_hours, team=team),
        resolution_due_at=due_at(opened, rule.resolution_hours, team=team),
        now=opened,
    )
    clock = _Clock(opened, now)
    assignee = users.get(spec.get("assignee") or "")
    if assignee:
        workflow.assign_case(case=case, assignee=assignee, actor=assignee, when=clock.after(minutes=15))
    actor = assignee or users["admin"]
    if spec["status"] != Status.NEW:
        workflow.change_status(case=case, to=Status.IN_PROGRESS, actor=actor, when=clock.after(minutes=5))
    for contact in spec.get("contacts", []):
        workflow.log_contact(
            case=case,
            actor=actor,
            channel=contact["channel"],
            direction=contact["direction"],
            outcome=contact["outcome"],
            summary=contact.get("summary", ""),
            contacted_at=clock.at(hours=contact["hours_after_open"]),
        )
    for note in spec.get("notes", []):
        workflow.add_note(case=case, actor=actor, text=note, when=clock.after(minutes=30))
    if spec.get("tags") or spec.get("action_summary"):
        workflow.record_action(
            case=case,
            actor=actor,
            action_summary=spec.get("action_summary", ""),
            tags=spec.get("tags", []),
            when=clock.after(minutes=10),
        )
    if spec["status"] == Status.WAITING:
        workflow.change_status(case=case, to=Status.WAITING, actor=actor, when=clock.after(minutes=10))
    if spec["status"] in (Status.RESOLVED, Status.CLOSED):
        workflow.change_status(case=case, to=Status.RESOLVED, actor=actor, when=clock.after(hours=2))
    if spec["status"] == Status.CLOSED:
        _close(case, spec["close"], actor, clock)


def _close(case, close, actor, clock) -> None:
    reason = close.get("reason", "")
    if close.get("notified"):
        # Demo history only: a real closing e-mail goes through outreach's outbox.
        sent_at = clock.after(hours=1)
        notification = Notification.objects.create(
            case=case,
            respondent=case.respondent,
            recipient=case.respondent.email,
            locale=case.respondent.locale or "en",
            subject=close["subject"],
            body=close["body"],
            status=Notification.Status.SENT,
            attempts=1,
            message_id=f"<demo-{case.number}@casework.example>",
            created_by=actor,
            queued_at=sent_at,
            sent_at=sent_at,
        )
        workflow.record_event(
            case=case, kind="notification", actor=actor, when=sent_at, notification=notification.pk, status="sent"
        )
        reason = CloseReason.NOTIFIED
    workflow.change_status(case=case, to=Status.CLOSED, actor=actor, reason=reason, when=clock.after(minutes=5))


class _Clock:
    """Hands out increasing moments after a case opened, never later than now, so that every
    timeline reads in order."""

    def __init__(self, start, now):
        self.current, self.start, self.now = start, start, now

    def after(self, **delta):
        self.current = min(self.current + datetime.timedelta(**delta), self.now)
        return self.current

    def at(self, *, hours):
        self.current = min(max(self.current, self.start + datetime.timedelta(hours=hours)), self.now)
        return self.current
