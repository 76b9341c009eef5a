import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from casework.feedback.models import Response, Source
from casework.intake.csv_import import CsvFileError, import_csv
from casework.spreadsheets import SpreadsheetWriter


class ReportNotWritten(Exception):
    """The error report could not be written (a full disk, a vanished folder)."""


class Command(BaseCommand):
    help = "Import survey responses from a UTF-8 CSV file with the API's fields as columns."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8, with or without BOM).")
        parser.add_argument("--source", required=True, help="The source's name or slug.")
        parser.add_argument("--errors", help="Write every refused row to this CSV file (row, field, message).")
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, file, source, errors, quiet_progress, **options):
        found = Source.objects.filter(Q(name=source) | Q(slug=source)).first()
        if found is None:
            raise CommandError(f"No source named {source!r}.")
        try:
            handle = open(file, "rb")
        except OSError as error:
            raise CommandError(f"Cannot open {file}: {error.strerror}.") from None
        size = os.fstat(handle.fileno()).st_size or 1
        started = time.perf_counter()
        started_at = timezone.now()

        def progress(summary):
            if quiet_progress:
                return
            done = min(handle.tell() / size, 1.0)
            bar = "#" * int(done * 30)
            rate = summary.rows / max(time.perf_counter() - started, 1e-6)
            sys.stderr.write(f"\r[{bar:<30}] {done:6.1%} {summary.rows:,} rows {rate:,.0f}/s")
            sys.stderr.flush()

        try:
            report = open(errors, "w", newline="", encoding="utf-8") if errors else None
        except OSError as error:
            raise CommandError(f"Cannot write the error report {errors}: {error.strerror}. Nothing was imported.") from None
        writer = SpreadsheetWriter(report) if report else None

        def write_line(values):
            try:
                writer.writerow(values)
                report.flush()  # a full disk is noticed at the row it happened, not when the file is closed
            except OSError as error:
                raise ReportNotWritten(error.strerror) from error

        with handle:
            try:
                if writer:
                    write_line(["row", "field", "message"])
                summary = import_csv(
                    found, handle, progress=progress,
                    on_problem=(lambda p: write_line([p.row, p.field, p.message])) if writer else None,
                )
            except CsvFileError as error:
                raise CommandError(str(error)) from None
            except ReportNotWritten as failure:
                # Rows are stored a chunk at a time, each chunk in one transaction; the chunk whose
                # problem could not be reported is stored, the rest of the file is not read.
                created = Response.objects.filter(source=found, received_at__gte=started_at).count()
                raise CommandError(
                    f"Stopped: the error report {errors} could not be written ({failure}). {created:,} rows of "
                    f"{file} were stored before that, the rest were not read. Free some space (or choose another "
                    f"--errors file) and run the same command again: rows already stored are recognised as "
                    f"duplicates, and the report will list every refused row."
                ) from None
            finally:
                if report:
                    try:
                        report.close()
                    except OSError:
                        pass  # already reported above
        if not quiet_progress:
            sys.stderr.write("\n")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{summary.rows:,} rows in {seconds:.1f} s: {summary.created:,} created "
            f"({summary.cases:,} with a case), {summary.duplicates:,} already imported, {summary.invalid:,} refused."
        )
        for problem in summary.problems[:20]:
            self.stdout.write(f"  row {problem.row}: {problem.field}: {problem.message}")
        if summary.problem_count > 20:
            self.stdout.write(f"  … and {summary.problem_count - 20:,} more problems.")
        if errors:
            self.stdout.write(f"Every refused row is listed in {errors}.")
