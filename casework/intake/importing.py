"""The CSV upload page's services: keep the upload, preview it, run it in the background, report."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from .csv_import import CsvFileError, Problem, import_csv, preview
from .models import Import, ImportProblem
from .validation import validate_item

MAX_PROBLEMS_STORED = 10_000


class UploadRefused(Exception):
    pass


def upload_import(*, source, user, uploaded_file) -> Import:
    """Keeps the file and checks that it can be read; nothing is imported yet."""
    if uploaded_file.size > settings.CASEWORK_IMPORT_MAX_BYTES:
        raise UploadRefused(_("The file is larger than %(max)d MB.") % {"max": settings.CASEWORK_IMPORT_MAX_BYTES // 2**20})
    if not uploaded_file.size:
        raise UploadRefused(_("The file is empty."))
    try:
        preview(uploaded_file.file, source=source)
    except CsvFileError as error:
        raise UploadRefused(str(error)) from None
    uploaded_file.seek(0)
    csv_import = Import(
        source=source,
        uploaded_by=user,
        file_name=Path(uploaded_file.name).name[:255],
        file_size=uploaded_file.size,
    )
    csv_import.file.save(f"{timezone.now():%Y%m%d%H%M%S}.csv", uploaded_file, save=False)
    csv_import.save()
    return csv_import


@dataclass
class PreviewRow:
    number: int
    values: dict | None  # the row as the API's item; None when the row could not even be read
    problems: list[str]  # why it would be refused: the same checks the import makes


def preview_rows(csv_import: Import, rows: int = 10) -> list[PreviewRow]:
    """The first rows as they will be read, each checked as the import will check it, so the person
    sees before importing which rows would be refused and why."""
    with csv_import.file.open("rb") as handle:
        first = preview(handle, rows=rows, source=csv_import.source)
    checked = []
    for number, raw in first:
        if not isinstance(raw, dict):
            checked.append(PreviewRow(number, None, [raw.message]))
            continue
        _item, errors = validate_item(raw)
        checked.append(PreviewRow(number, raw, [f"{field}: {message}" for field, messages in errors.items() for message in messages]))
    return checked


# Who hands a queued import to a worker: intake/tasks.py registers its task here when the app starts
# (apps.py), so this module never imports the task module that imports it.
_runner: Callable[[int], None] | None = None


def register_runner(runner: Callable[[int], None]) -> None:
    global _runner
    _runner = runner


@transaction.atomic
def start_import(*, csv_import: Import) -> None:
    updated = Import.objects.filter(pk=csv_import.pk, status=Import.Status.UPLOADED).update(
        status=Import.Status.QUEUED, language=translation.get_language() or ""
    )
    if updated and _runner is not None:
        # Enqueued after commit, so that the worker finds the row already queued.
        transaction.on_commit(lambda: _runner(csv_import.pk))


def run_import(import_id: int) -> None:
    csv_import = Import.objects.get(pk=import_id)
    if csv_import.status != Import.Status.QUEUED:
        return  # already run by another worker
    with translation.override(csv_import.language or settings.LANGUAGE_CODE):
        _run(csv_import)


def _run(csv_import: Import) -> None:
    import_id = csv_import.pk
    Import.objects.filter(pk=import_id).update(status=Import.Status.RUNNING)
    pending: list[Problem] = []

    def keep(problem):
        pending.append(problem)

    def progress(summary):
        stored = ImportProblem.objects.filter(csv_import_id=import_id).count()
        room = max(0, MAX_PROBLEMS_STORED - stored)
        ImportProblem.objects.bulk_create(
            [ImportProblem(csv_import_id=import_id, row=p.row, field=p.field[:100], message=p.message[:500]) for p in pending[:room]]
        )
        pending.clear()
        Import.objects.filter(pk=import_id).update(
            bytes_done=handle.tell(),
            rows=summary.rows,
            created=summary.created,
            duplicates=summary.duplicates,
            invalid=summary.invalid,
            cases=summary.cases,
            problem_count=summary.problem_count,
        )

    try:
        with csv_import.file.open("rb") as handle:
            import_csv(csv_import.source, handle, progress=progress, on_problem=keep)
    except (CsvFileError, OSError) as error:
        _finish(csv_import, Import.Status.FAILED, failure=str(error))
        return
    except Exception:
        # Never leave the page saying "importing" for ever; the error itself goes to the log.
        _finish(csv_import, Import.Status.FAILED, failure=_("The import stopped because of an internal error."))
        raise
    _finish(csv_import, Import.Status.DONE)


def _finish(csv_import: Import, status: str, failure: str = "") -> None:
    if csv_import.file:
        csv_import.file.delete(save=False)
    Import.objects.filter(pk=csv_import.pk).update(
        status=status, failure=failure, finished_at=timezone.now(), file=""
    )
