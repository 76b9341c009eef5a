from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from casework.feedback.models import Source
from casework.feedback.tokens import create_api_token


class Command(BaseCommand):
    help = "Create an API token for a source and print it once; only its digest is stored."

    def add_arguments(self, parser):
        parser.add_argument("source", help="The source's name or slug.")
        parser.add_argument("--label", default="", help="What the token is for, e.g. the survey tool's name.")

    def handle(self, *args, source, label, **options):
        found = Source.objects.filter(Q(name=source) | Q(slug=source)).first()
        if found is None:
            names = ", ".join(Source.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"No source named {source!r}. Sources: {names}.")
        _token, plaintext = create_api_token(source=found, label=label)
        self.stderr.write(f"Token for {found.name} (store it now, it cannot be shown again):")
        self.stdout.write(plaintext)
