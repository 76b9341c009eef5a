from django.core.management.base import BaseCommand

from casework.integrations.delivery import deliver_due


class Command(BaseCommand):
    help = "Send the outbound webhooks that are due (retries, and any whose task was lost). The worker does this every minute."

    def handle(self, *args, **options):
        outcome = deliver_due()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in sorted(outcome.items())) or "nothing due")
