""""You said, we did": when a root cause is fixed, tell the people who complained about it. One
message per person (their latest case with the tag), through the outbox, never to someone who
objected, restricted processing, was erased, has no address, or was told about that case before."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from casework.cases.models import Case
from casework.cases.workflow import WorkflowError
from casework.outreach import followup
from casework.outreach.models import Notification
from casework.outreach.sending import ComposeError, render_closing
from casework.outreach.templating import render, values_for

from .models import Announcement, AnnouncementCase
from .periods import Period
from .scope import Scope


@dataclass
class Audience:
    concerned: list[Case]  # one case per person: their latest with the tag
    eligible: list[Case]

    @property
    def counts(self) -> dict[str, int]:
        return {"concerned": len(self.concerned), "eligible": len(self.eligible)}


def _told_before():
    return AnnouncementCase.objects.filter(
        case=OuterRef("pk"), notification__status__in=[Notification.Status.QUEUED, Notification.Status.SENT]
    )


def tagged_cases(scope: Scope, *, tag, period: Period, product: str = "") -> QuerySet[Case]:
    cases = scope.cases.filter(tags=tag, respondent__isnull=False).filter(period.q("created_at"))
    if product:
        cases = cases.filter(product__iexact=product)
    return cases


def audience(scope: Scope, *, tag, period: Period, product: str = "") -> Audience:
    cases = (
        tagged_cases(scope, tag=tag, period=period, product=product)
        .annotate(told=Exists(_told_before()))
        .select_related("respondent", "response", "team")
        .order_by("respondent_id", "-created_at", "-pk")
    )
    latest: dict[int, Case] = {}
    for case in cases:
        latest.setdefault(case.respondent_id, case)
    concerned = list(latest.values())
    eligible = [case for case in concerned if may_be_told(case)]
    return Audience(concerned=concerned, eligible=eligible)


def may_be_told(case: Case) -> bool:
    person = case.respondent
    frozen = person.objected_at or person.restricted_at or person.erased_at
    return not frozen and bool(person.email) and not case.told


def personalise(case: Case, actor, *, subject: str, body: str, locale: str) -> tuple[str, str]:
    values = values_for(case, actor, locale=locale)
    return render(subject, values), render(body, values)


def preview(case: Case, actor, *, subject: str, body: str, locale: str) -> dict:
    """The message exactly as this person gets it, footer included."""
    subject, body = personalise(case, actor, subject=subject, body=body, locale=locale)
    draft = Notification(case=case, respondent=case.respondent, locale=locale, subject=subject, body=body, created_by=actor)
    text, _html = render_closing(draft)
    return {"subject": subject, "text": text, "case": case}


def send(
    *, scope: Scope, actor, token, tag, period: Period, product: str, subject: str, body: str, locale: str, close_resolved: bool
) -> tuple[Announcement, bool]:
    """Queues the messages and records the run; (run, False) when this token was sent already."""
    existing = Announcement.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            run = Announcement.objects.create(
                token=token, tag=tag, product=product, first_day=period.first_day, last_day=period.last_day, locale=locale,
                subject=subject, body=body, close_resolved=close_resolved, created_by=actor,
            )
            # Read again inside the transaction: someone may have objected since the preview.
            people = audience(scope, tag=tag, period=period, product=product)
            queued = suppressed = 0
            for case in people.eligible:
                filled_subject, filled_body = personalise(case, actor, subject=subject, body=body, locale=locale)
                try:
                    notification = followup.queue_follow_up(
                        case=case, actor=actor, subject=filled_subject, body=filled_body, locale=locale,
                        close_if_resolved=close_resolved,
                    )
                except (WorkflowError, ComposeError):
                    # Restricted a moment ago, or the case cannot close: this person is left out.
                    suppressed += 1
                    continue
                AnnouncementCase.objects.create(announcement=run, case=case, notification=notification)
                queued += notification.status == Notification.Status.QUEUED
            run.concerned, run.queued, run.suppressed = len(people.concerned), queued, suppressed
            run.save(update_fields=["concerned", "queued", "suppressed"])
    except IntegrityError:
        # The same confirmation submitted twice at once: the other request holds the run.
        return Announcement.objects.get(token=token), False
    return run, True


def outcome(run: Announcement) -> dict[str, int]:
    """What became of the run's e-mails so far: the outbox keeps sending after the click."""
    counts = {status: 0 for status in Notification.Status.values}
    for status in run.recipients.values_list("notification__status", flat=True):
        counts[status] += 1
    return counts
