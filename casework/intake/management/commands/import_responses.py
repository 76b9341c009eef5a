import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from casework.feedback.models import Source
from casework.intake.csv_import import CsvFileError, import_csv
from casework.spreadsheets import SpreadsheetWriter


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

        def progress(summary):
            if quiet_progress:
                return
            done = min(handle.tell() / size, 1.0)
            bar = "#" * int(done * 30)
            rate = summary.rows / max(time.perf_counter() - started, 1e-6)
            sys.stderr.write(f"\r[{bar:<30}] {done:6.1%} {summary.rows:,} rows {rate:,.0f}/s")
            sys.stderr.flush()

        report = open(errors, "w", newline="", encoding="utf-8") if errors else None
        writer = SpreadsheetWriter(report) if report else None
        if writer:
            writer.writerow(["row", "field", "message"])
        with handle:
            try:
                summary = import_csv(
                    found,
                    handle,
                    progress=progress,
                    on_problem=(lambda p: writer.writerow([p.row, p.field, p.message])) if writer else None,
                )
            except CsvFileError as error:
                raise CommandError(str(error)) from None
            finally:
                if report:
                    report.close()
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
