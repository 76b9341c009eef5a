import sys
import time

from django.core.management.base import BaseCommand

from casework.privacy.retention import BATCH, apply_retention, retention_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise personal data received before the retention period (CASEWORK_RETENTION_DAYS, default 3 calendar "
        "years). Safe to run again and to stop: it continues where it stopped. The worker runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be anonymised.")
        parser.add_argument("--batch-size", type=int, default=BATCH, help="Answers per committed batch (default: %(default)s).")

    def handle(self, *args, dry_run, batch_size, **options):
        self.stdout.write(f"Data received before {retention_cutoff().isoformat()} reaches the end of its retention period.")
        started = time.monotonic()
        report = apply_retention(dry_run=dry_run, batch_size=max(1, batch_size), progress=self._progress(started))
        if not dry_run and self._tty:
            self.stdout.write("")
        self.stdout.write(str(report))

    @property
    def _tty(self):
        return hasattr(self.stdout, "isatty") and self.stdout.isatty()

    def _progress(self, started):
        def show(done, total, report):
            share = done / total if total else 1
            bar = "#" * int(share * 30)
            line = (
                f"[{bar:<30}] {share:6.1%}  {done:,}/{total:,} answers · {report.cases_anonymised:,} cases "
                f"({report.cases_closed:,} closed) · {report.respondents_anonymised:,} people · {time.monotonic() - started:,.0f} s"
            )
            if self._tty:
                self.stdout.write("\r" + line, ending="")
                sys.stdout.flush()
            else:
                self.stdout.write(line)

        return show
