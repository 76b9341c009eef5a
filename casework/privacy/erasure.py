"""Erasure (GDPR Art. 17): the person's data leaves every table. What stays is what the figures need
and identifies nobody: scores, metrics, products, countries, channels, dates, statuses, case numbers.
Intake recognises the person's later answers by fingerprint and stores them without personal data,
and the fingerprints also go to the erasure ledger so that a restored backup can be erased again."""

import csv
import datetime
import io
import re

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from casework.cases import search
from casework.cases.models import Case, CaseResponse, Contact, Event
from casework.feedback.contact_details import email_key
from casework.feedback.models import Respondent, RespondentIdentity, Response, Suppression
from casework.feedback.respondents import email_fingerprint, id_fingerprint, respondent_fingerprints
from casework.intake.models import Delivery, Import, ImportProblem
from casework.outreach.models import Notification
from casework.scheduling.models import ScheduledJob

from . import ledger
from .models import PrivacyRequest
from .requestlog import RequestError, fulfil
from .rights import locked, record_privacy_event

# Event details that never hold personal data: ids, statuses, priorities, staff user names, tag
# names, field names. Anything else (a note's text, an address a survey tool sent) goes.
SAFE_EVENT_KEYS = frozenset(
    {"action", "contact", "fields", "from", "how", "notification", "overdue", "reason", "request", "response", "score", "source", "status", "tags", "to"}
)
# Kinds of Event whose details Casework writes only from ids, statuses and user names; the others
# (notes, identity conflicts, privacy actions, and any kind added later) are filtered key by key.
SAFE_EVENT_KINDS = frozenset(
    {"opened", "status", "assigned", "priority", "response", "contact", "tags", "shared", "escalated", "notification"}
)
BATCH = 500
ERASED = "[erased]"


def confirmation_matches(respondent: Respondent, typed: str) -> bool:
    """Erasure cannot be undone, so the officer types the person's e-mail address (or the number of
    the record, or one of their user ids) again."""
    typed = (typed or "").strip()
    if not typed:
        return False
    if respondent.email and email_key(typed) == respondent.email_key:
        return True
    if typed.lstrip("#") == str(respondent.pk):
        return True
    return respondent.identities.filter(external_id=typed).exists()


def erase_respondent(
    *, respondent: Respondent, actor, confirm: str, channel=PrivacyRequest.Channel.DESK, received_on: datetime.date | None = None
) -> PrivacyRequest:
    with transaction.atomic():
        respondent = locked(respondent)
        if respondent.erased_at:
            raise RequestError(_("This person's data was erased already."))
        if not confirmation_matches(respondent, confirm):
            raise RequestError(_("Type the person's e-mail address (or the record number) exactly to confirm the erasure."))
        request = fulfil(
            respondent=respondent, kind=PrivacyRequest.Kind.ERASURE, action=PrivacyRequest.Action.ERASED,
            actor=actor, channel=channel, received_on=received_on,
        )
        erase(respondent, actor=actor)
    return request


def erase(respondent: Respondent, *, actor, now: datetime.datetime | None = None, write_ledger: bool = True) -> None:
    """Removes the person's data everywhere. Must run in a transaction, with the row locked."""
    now = now or timezone.now()
    digests = respondent_fingerprints(respondent)
    needles = _identifying_texts(respondent)
    Suppression.objects.bulk_create([Suppression(digest=digest) for digest in digests], ignore_conflicts=True)
    cases = Case.objects.filter(respondent=respondent)
    Response.objects.filter(Q(respondent=respondent) | Q(case_link__case__in=cases.values("pk"))).update(
        comment="", page_url="", anonymised_at=now
    )
    scrub_cases(cases, now=now)
    Notification.objects.filter(respondent=respondent).update(recipient="", subject="", body="", last_error="")
    RespondentIdentity.objects.filter(respondent=respondent).delete()
    Respondent.objects.filter(pk=respondent.pk).update(
        email="", email_key="", search_key="", name="", company="", erased_at=now, updated_at=now
    )
    # Their cases and the cases their answers joined: the search index keeps none of their words.
    search.refresh_cases(Case.objects.filter(Q(respondent=respondent) | Q(case_responses__response__respondent=respondent)).values_list("pk", flat=True))
    sweep(needles, respondent=respondent)
    _drop_pending_import_rows(set(digests))
    record_privacy_event(respondent, actor=actor, action="erased")
    if write_ledger:
        ledger.append(digests, when=now)


def _identifying_texts(respondent: Respondent) -> list[str]:
    texts = [respondent.email, respondent.name, respondent.company]
    texts += list(respondent.identities.values_list("external_id", flat=True))
    # Short values ("Li", "u1") would match inside unrelated words of the logs swept below.
    return sorted({text for text in texts if len(text) >= 3}, key=len, reverse=True)


def scrub_cases(cases, *, now: datetime.datetime) -> None:
    """Everything staff wrote on these cases (a queryset), the closing e-mails and the event texts.
    Scores, statuses, dates and numbers stay. The cases are marked last, so a queryset that selects
    cases not yet marked still means the same ones until then."""
    ids = cases.values("pk")
    Contact.objects.filter(case__in=ids).update(summary="")
    Notification.objects.filter(case__in=ids).update(recipient="", subject="", body="", last_error="")
    changed = []
    events = Event.objects.filter(case__in=ids).exclude(kind__in=SAFE_EVENT_KINDS).values_list("pk", "data")
    for pk, data in events.iterator(chunk_size=2000):
        kept = {key: value for key, value in (data or {}).items() if key in SAFE_EVENT_KEYS}
        if kept != data:
            changed.append(Event(pk=pk, data=kept))
    Event.objects.bulk_update(changed, ["data"], batch_size=BATCH)
    cases.update(action_summary="", outcome="", anonymised_at=now)


def _replace(text: str, needles: list[str]) -> str:
    for needle in needles:
        text = re.sub(re.escape(needle), ERASED, text, flags=re.IGNORECASE)
    return text


def _text_matches(fields: list[str], needles: list[str]) -> Q:
    query = Q()
    for field in fields:
        for needle in needles:
            query |= Q(**{f"{field}__icontains": needle})
    return query


def sweep(needles: list[str], *, respondent: Respondent) -> None:
    """The places outside the person's own rows where their details can end up in free text: the
    admin's history, the task queue, job outcomes, import reports and the officer's own notes."""
    respondent_type = ContentType.objects.get_for_model(Respondent)
    LogEntry.objects.filter(content_type=respondent_type, object_id=str(respondent.pk)).update(
        object_repr=f"#{respondent.pk}", change_message=""
    )
    if not needles:
        return
    for model, fields in (
        (LogEntry, ["object_repr", "change_message"]),
        (ImportProblem, ["message"]),
        (Import, ["file_name", "failure"]),
        (ScheduledJob, ["last_outcome", "last_error"]),
        (PrivacyRequest, ["note", "extension_reason"]),
    ):
        for row in model.objects.filter(_text_matches(fields, needles)):
            model.objects.filter(pk=row.pk).update(**{field: _replace(getattr(row, field), needles) for field in fields})
    _sweep_task_results(needles)
    _sweep_deliveries(needles)


def _sweep_deliveries(needles: list[str]) -> None:
    """A webhook delivery keeps its raw body only until it is processed (failed ones wait for a retry).
    One that mentions the person goes: it is about them, and a retry would bring them back."""
    lowered = [needle.casefold() for needle in needles]
    for delivery in Delivery.objects.exclude(body=b"").only("pk", "body").iterator():
        text = bytes(delivery.body).decode("utf-8", "replace").casefold()
        if any(needle in text for needle in lowered):
            Delivery.objects.filter(pk=delivery.pk).update(
                body=b"", status=Delivery.Status.IGNORED, error="", outcome="erased"
            )


def _sweep_task_results(needles: list[str]) -> None:
    """Task arguments are ids, but a failed task's traceback or a return value can quote anything."""
    results = DBTaskResult.objects.annotate(
        args_text=Cast("args_kwargs", TextField()), return_text=Cast("return_value", TextField())
    )
    json_needles = needles + [needle.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00") for needle in needles]
    for task in results.filter(_text_matches(["traceback", "args_text", "return_text"], json_needles)):
        # Whatever the task did is done; the record of it goes rather than a copy of the person's data.
        if task.finished_at is not None:
            DBTaskResult.objects.filter(pk=task.pk).delete()
        else:
            DBTaskResult.objects.filter(pk=task.pk).update(traceback=_replace(task.traceback, needles))


def _drop_pending_import_rows(digests: set[str]) -> None:
    """An uploaded CSV file that has not been imported yet may hold the person's rows: they go from
    the file, as they would from the database."""
    for csv_import in Import.objects.filter(status__in=[Import.Status.UPLOADED, Import.Status.QUEUED]).exclude(file=""):
        try:
            with csv_import.file.open("rb") as handle:
                text = handle.read().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the import itself reports an unreadable file
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            continue
        header = [name.strip().lower() for name in rows[0]]
        kept = [rows[0]] + [row for row in rows[1:] if not _row_is_about(dict(zip(header, row)), csv_import.source_id, digests)]
        if len(kept) == len(rows):
            continue
        out = io.StringIO(newline="")
        csv.writer(out).writerows(kept)
        data = out.getvalue().encode("utf-8")
        name = csv_import.file.name
        csv_import.file.delete(save=False)
        csv_import.file.save(name.rsplit("/", 1)[-1], ContentFile(data), save=False)
        Import.objects.filter(pk=csv_import.pk).update(file=csv_import.file.name, file_size=len(data))


def _row_is_about(row: dict, source_id: int, digests: set[str]) -> bool:
    email, user_id = row.get("respondent_email", "").strip(), row.get("respondent_id", "").strip()
    return bool(
        (email and email_fingerprint(email) in digests) or (user_id and id_fingerprint(source_id, user_id) in digests)
    )


def reapply_erasures(*, progress=None) -> dict[str, int]:
    """After a restore: everyone whose fingerprint is in the ledger or the suppression list, and who
    is in the database again, is erased again."""
    from_ledger, unreadable = ledger.read_fingerprints()
    known = set(Suppression.objects.values_list("digest", flat=True))
    Suppression.objects.bulk_create([Suppression(digest=digest) for digest in from_ledger - known], ignore_conflicts=True)
    digests = from_ledger | known
    found = set()
    people = Respondent.objects.filter(erased_at__isnull=True).exclude(email="").values_list("pk", "email")
    for pk, address in people.iterator(chunk_size=5000):
        if email_fingerprint(address) in digests:
            found.add(pk)
    ids = RespondentIdentity.objects.filter(respondent__erased_at__isnull=True).values_list("respondent_id", "source_id", "external_id")
    for pk, source_id, external_id in ids.iterator(chunk_size=5000):
        if id_fingerprint(source_id, external_id) in digests:
            found.add(pk)
    for count, pk in enumerate(sorted(found), start=1):
        with transaction.atomic():
            respondent = Respondent.objects.select_for_update().get(pk=pk)
            now = timezone.now()
            PrivacyRequest.objects.create(
                kind=PrivacyRequest.Kind.ERASURE, respondent=respondent, received_on=timezone.localdate(now),
                due_on=timezone.localdate(now), status=PrivacyRequest.Status.DONE, action=PrivacyRequest.Action.ERASED,
                channel=PrivacyRequest.Channel.COMMAND, recorded_at=now, handled_at=now,
                note=_("Erased again from the erasure ledger: the database had been restored from a backup."),
            )
            erase(respondent, actor=None, now=now, write_ledger=False)
        if progress:
            progress(count, len(found))
    return {"fingerprints": len(digests), "erased_again": len(found), "unreadable_ledger_lines": unreadable}
