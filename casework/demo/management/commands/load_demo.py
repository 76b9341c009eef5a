from django.core.management.base import BaseCommand

from casework.demo.loading import demo_is_loaded, load_demo

LOGINS = """
Demo logins (password for all: {password})
  admin   administrator
  dace    privacy officer
  maija   manager, team Payroll
  janis   staff, Payroll
  ilze    staff, Payroll
  peter   manager, team Accounting
  anna    staff, Accounting
  tom     staff, Accounting
"""


class Command(BaseCommand):
    help = "Load the demo users, teams, rules, responses and cases from fixtures/demo.json."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the demo is loaded already.")
        parser.add_argument("--logins", action="store_true", help="Only print the demo logins.")

    def handle(self, *args, if_empty=False, logins=False, **options):
        if not logins:
            if if_empty and demo_is_loaded():
                self.stdout.write("Demo data is already loaded.")
            else:
                counts = load_demo()
                self.stdout.write(self.style.SUCCESS("Loaded demo data: {users} users, {teams} teams, "
                                                     "{responses} responses, {cases} cases.".format(**counts)))
        self.stdout.write(LOGINS.format(password="casework-demo"))
