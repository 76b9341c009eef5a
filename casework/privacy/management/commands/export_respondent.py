from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Everything held about one respondent as JSON, recorded as an access (or portability) request; the same as `privacy export`."

    def add_arguments(self, parser):
        parser.add_argument("respondent", help="The record number (12 or #12) or the exact e-mail address.")
        parser.add_argument("--kind", choices=["access", "portability"], default="access")
        parser.add_argument("--output", default="", help="File to write (default: standard output).")
        parser.add_argument("--by", default="", help="User name of the privacy officer handling the request.")
        parser.add_argument("--received", default="", help="The day the person asked (YYYY-MM-DD); default today.")

    def handle(self, *args, respondent, kind, output, by, received, **options):
        arguments = ["export", respondent, "--kind", kind]
        for flag, value in (("--output", output), ("--by", by), ("--received", received)):
            if value:
                arguments += [flag, value]
        call_command("privacy", *arguments, stdout=self.stdout, stderr=self.stderr)
