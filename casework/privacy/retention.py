"""Retention: personal data is anonymised when its retention period ends (3 calendar years after it
was received, or settings.CASEWORK_RETENTION_DAYS days), answer by answer and everything hanging from
it, as erasure does. Run daily by the worker and by `manage.py apply_retention`.

Days are the days of settings.TIME_ZONE: what was received on 20 November 2023 is anonymised by the
run of 20 November 2026, whatever the hour. 29 February 2024 has its third anniversary on 28 February
2027, so nothing is kept longer than promised.

Batches are committed one by one and each marks its answers done, so a run that stops (a crash, a
deploy) continues where it stopped when it runs again, and a second run finds nothing to do."""

import calendar
import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from casework.cases import search, workflow
from casework.cases.lifecycle import CloseReason, Status
from casework.cases.models import Case, CaseResponse, restricted_respondents
from casework.feedback.models import Respondent, RespondentIdentity, Response
from casework.intake.models import Delivery, ImportProblem

from .erasure import ERASED, scrub_cases
from .models import PrivacyRequest

BATCH = 2000
YEARS = 3


def last_aged_day(today: datetime.date) -> datetime.date:
    """The last day whose data has reached the end of its retention period on `today`."""
    days = settings.CASEWORK_RETENTION_DAYS
    if days is not None:
        return today - datetime.timedelta(days=days)
    year = today.year - YEARS
    if today.month == 2 and today.day == 29 and not calendar.isleap(year):
        return datetime.date(year, 2, 28)
    last = today.replace(year=year)
    if (today.month, today.day) == (2, 28) and calendar.isleap(year) and not calendar.isleap(today.year):
        return datetime.date(year, 2, 29)  # 29 February has its anniversary on the 28th in other years
    return last


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """The first moment whose data is still kept: midnight (in TIME_ZONE) after the last aged day."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = (now or timezone.now()).astimezone(zone).date()
    return datetime.datetime.combine(last_aged_day(today) + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)


def describe_period() -> dict:
    days = settings.CASEWORK_RETENTION_DAYS
    if days is None:
        text = _("Personal data is anonymised 3 calendar years after it was received.")
    else:
        text = ngettext(
            "Personal data is anonymised %(count)d day after it was received.",
            "Personal data is anonymised %(count)d days after it was received.",
            days,
        ) % {"count": days}
    return {"rule": text, "days": days, "years": None if days is not None else YEARS}


@dataclass
class RetentionReport:
    cutoff: datetime.datetime
    responses: int = 0
    cases_closed: int = 0
    cases_anonymised: int = 0
    respondents_anonymised: int = 0
    kept_restricted: int = 0
    import_problems_deleted: int = 0
    task_results_deleted: int = 0
    log_entries_deleted: int = 0
    deliveries_emptied: int = 0
    dry_run: bool = False

    def __str__(self):
        counts = ", ".join(f"{field.name.replace('_', ' ')}: {getattr(self, field.name)}" for field in fields(self)[1:-1])
        return f"{'would anonymise' if self.dry_run else 'anonymised'} data received before {self.cutoff.isoformat()}: {counts}"


def _due_responses(cutoff, restricted):
    due = Response.objects.filter(received_at__lt=cutoff, anonymised_at__isnull=True)
    # A restricted person's data is frozen, against deletion too (Art. 18(1)(c): they may need it
    # for a legal claim); it ages out once the restriction is lifted.
    return due.exclude(respondent_id__in=restricted) if restricted else due


def apply_retention(
    *, now: datetime.datetime | None = None, dry_run: bool = False, batch_size: int = BATCH,
    progress: Callable[[int, int, RetentionReport], None] | None = None,
) -> RetentionReport:
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    restricted = restricted_respondents()
    report = RetentionReport(cutoff=cutoff, dry_run=dry_run)
    due = _due_responses(cutoff, restricted)
    total = due.count()
    report.kept_restricted = (
        Response.objects.filter(received_at__lt=cutoff, anonymised_at__isnull=True, respondent_id__in=restricted).count()
        if restricted else 0
    )
    if dry_run:
        return _plan(report, due, total, cutoff, restricted)
    for number in itertools.count():
        # Each batch is stamped with its own moment: the statements after the first find the batch by
        # that stamp (an index), not by a list of ids sent with each of them.
        stamp = now + datetime.timedelta(microseconds=number)
        with transaction.atomic():
            batch = due.order_by("received_at", "pk").values("pk")[:batch_size]
            done = Response.objects.filter(pk__in=batch).update(comment="", page_url="", anonymised_at=stamp)
            if not done:
                break
            _anonymise_batch(stamp, cutoff=cutoff, now=now, report=report)
        report.responses += done
        if progress:
            progress(report.responses, total, report)
    _prune(cutoff, report)
    return report


def _anonymise_batch(stamp, *, cutoff, now, report) -> None:
    """What hangs from the answers stamped `stamp`: their cases, once the newest answer on a case has
    aged out (a case that a recent answer joined stays whole), and the people whose every answer has."""
    touched = CaseResponse.objects.filter(response__anonymised_at=stamp).values("case_id")
    fresh = CaseResponse.objects.filter(case__in=touched, response__received_at__gte=cutoff).values("case_id")
    # Read once: the statements below then name the cases instead of working the question out again.
    aged_ids = list(Case.objects.filter(pk__in=touched, anonymised_at__isnull=True).exclude(pk__in=fresh).values_list("pk", flat=True))
    aged = Case.objects.filter(pk__in=aged_ids)
    report.cases_closed += workflow.close_for_privacy(cases=aged, reason=CloseReason.RETENTION, when=now)
    report.cases_anonymised += len(aged_ids)
    scrub_cases(aged, now=now)
    # People whose every answer has now aged out; someone who also answered recently keeps the
    # details those newer answers brought.
    people = Response.objects.filter(anonymised_at=stamp, respondent__isnull=False).values("respondent_id")
    still_held = Response.objects.filter(respondent__in=people, anonymised_at__isnull=True).values("respondent_id")
    done = Respondent.objects.filter(pk__in=people, anonymised_at__isnull=True, erased_at__isnull=True).exclude(pk__in=still_held)
    done_ids = list(done.values_list("pk", flat=True))
    if done_ids:
        report.respondents_anonymised += _anonymise_respondents(Respondent.objects.filter(pk__in=done_ids), now=now)
    # The comments that aged out, and the details of people who did, leave the search index too.
    search.refresh_cases(CaseResponse.objects.filter(response__anonymised_at=stamp).values_list("case_id", flat=True))
    search.refresh_respondents(done_ids)


def _anonymise_respondents(people, *, now) -> int:
    """`people` is a queryset of respondents not yet anonymised: the row itself is marked last."""
    ids = people.values("pk")
    RespondentIdentity.objects.filter(respondent__in=ids).delete()
    # The requests log stays as the record of what was asked and done; the officer's free text goes.
    requests = PrivacyRequest.objects.filter(respondent__in=ids)
    requests.filter(extended_due_on__isnull=True).update(note="", extension_reason="")
    requests.filter(extended_due_on__isnull=False).update(note="", extension_reason=ERASED)
    logged = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Respondent))
    if logged.exists():
        logged.filter(object_id__in=[str(pk) for pk in people.values_list("pk", flat=True)]).update(object_repr="", change_message="")
    return people.update(email="", email_key="", search_key="", name="", company="", anonymised_at=now, updated_at=now)


def _prune(cutoff, report) -> None:
    """Records of old work that can quote personal data: CSV error reports, finished background
    tasks, the admin's history of changes to respondents."""
    report.import_problems_deleted = ImportProblem.objects.filter(csv_import__created_at__lt=cutoff).delete()[0]
    report.task_results_deleted = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()[0]
    # Webhook bodies that were never processed (failed, waiting for a retry) age out like the rest.
    report.deliveries_emptied = Delivery.objects.filter(received_at__lt=cutoff).exclude(body=b"").update(body=b"")
    report.log_entries_deleted = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Respondent), action_time__lt=cutoff
    ).delete()[0]


def _plan(report, due, total, cutoff, restricted) -> RetentionReport:
    report.responses = total
    fresh_cases = CaseResponse.objects.filter(response__received_at__gte=cutoff).values("case_id")
    aged = Case.objects.filter(anonymised_at__isnull=True, response__received_at__lt=cutoff).exclude(pk__in=fresh_cases)
    if restricted:
        aged = aged.exclude(respondent_id__in=restricted)
    report.cases_anonymised = aged.count()
    report.cases_closed = aged.exclude(status=Status.CLOSED).count()
    fresh_people = Response.objects.filter(received_at__gte=cutoff, respondent_id__isnull=False).values("respondent_id")
    people = Respondent.objects.filter(
        anonymised_at__isnull=True, erased_at__isnull=True, pk__in=due.filter(respondent_id__isnull=False).values("respondent_id")
    ).exclude(pk__in=fresh_people)
    report.respondents_anonymised = people.count()
    report.import_problems_deleted = ImportProblem.objects.filter(csv_import__created_at__lt=cutoff).count()
    report.task_results_deleted = DBTaskResult.objects.filter(finished_at__lt=cutoff).count()
    report.deliveries_emptied = Delivery.objects.filter(received_at__lt=cutoff).exclude(body=b"").count()
    report.log_entries_deleted = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Respondent), action_time__lt=cutoff
    ).count()
    return report
