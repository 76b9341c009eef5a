from django.core.management.base import BaseCommand

from casework.cases.escalation import escalate_overdue


class Command(BaseCommand):
    help = "Escalate open cases past their first-contact or resolution time (once each) and tell the team managers."

    def handle(self, *args, **options):
        count = escalate_overdue()
        self.stdout.write(f"Escalated {count} case{'s' if count != 1 else ''}.")
