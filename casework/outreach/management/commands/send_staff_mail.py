from django.core.management.base import BaseCommand

from casework.outreach.staffmail import send_assignment_emails, send_overdue_digests


class Command(BaseCommand):
    help = "E-mail staff about new assignments (run every few minutes) and, with --digest, managers' daily overdue digest."

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="Also send today's overdue digest (once a day per manager).")

    def handle(self, *args, digest, **options):
        assignments = send_assignment_emails()
        digests = send_overdue_digests() if digest else 0
        self.stdout.write(f"{assignments} assignment e-mails, {digests} digests sent.")
