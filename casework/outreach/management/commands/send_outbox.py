from django.core.management.base import BaseCommand

from casework.outreach.sending import send_due


class Command(BaseCommand):
    help = "Deliver queued closing e-mails that are due (retries after SMTP failures, and any whose task was lost)."

    def handle(self, *args, **options):
        outcome = send_due()
        self.stdout.write(", ".join(f"{count} {what}" for what, count in sorted(outcome.items())) or "Nothing due.")
