import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from casework.feedback.models import Source
from casework.feedback.webhook_secrets import SecretRefused, add_webhook_secret, create_webhook_secret


class Command(BaseCommand):
    help = (
        "Make a webhook signing secret for a source and print it once (Casework JSON, Typeform), or keep the "
        "secret a tool made itself (Formbricks, Delighted) read from standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The source's name or slug.")
        parser.add_argument("--label", default="", help="What the secret is for.")
        parser.add_argument(
            "--from-stdin", action="store_true", help="Read the tool's own secret from standard input instead of making one."
        )

    def handle(self, *args, source, label, from_stdin, **options):
        found = Source.objects.filter(Q(name=source) | Q(slug=source)).first()
        if found is None:
            names = ", ".join(Source.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"No source named {source!r}. Sources: {names}.")
        try:
            if from_stdin:
                stored = add_webhook_secret(source=found, secret=sys.stdin.readline(), label=label)
                self.stdout.write(f"Kept the secret for {found.name} (begins with {stored.hint}).")
                return
            _secret, plaintext = create_webhook_secret(source=found, label=label)
        except SecretRefused as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"Webhook secret for {found.name} (store it now, it cannot be shown again):")
        self.stdout.write(plaintext)
