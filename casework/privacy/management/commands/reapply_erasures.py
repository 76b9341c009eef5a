from django.core.management.base import BaseCommand

from casework.privacy.erasure import reapply_erasures
from casework.privacy.ledger import ledger_path


class Command(BaseCommand):
    help = (
        "After restoring the database from a backup: erase again everyone in the erasure ledger "
        "(CASEWORK_ERASURE_LEDGER) who is back in the database. Safe to run at any time."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Reading the erasure ledger {ledger_path()}.")
        report = reapply_erasures(progress=lambda done, total: self.stdout.write(f"  erased {done}/{total}"))
        self.stdout.write(
            f"{report['fingerprints']} fingerprints known; {report['erased_again']} respondents erased again."
        )
        if report["unreadable_ledger_lines"]:
            self.stderr.write(f"{report['unreadable_ledger_lines']} ledger lines could not be read.")
