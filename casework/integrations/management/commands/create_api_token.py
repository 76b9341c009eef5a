from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from casework.feedback.models import Source
from casework.feedback.tokens import SCOPES, TokenRefused, create_api_token
from casework.teams.models import Team


class Command(BaseCommand):
    help = (
        "Create an API token and print it once; only its digest is stored. An ingest token (the default) belongs "
        "to a source; a read token (--scope read) to one or more teams (--team), whose cases it reads."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", default="", help="The source's name or slug (needed for the ingest scope).")
        parser.add_argument("--label", default="", help="What the token is for, e.g. the survey tool's name.")
        parser.add_argument("--scope", action="append", choices=SCOPES, help="ingest (default) and/or read; repeat for both.")
        parser.add_argument("--team", action="append", default=[], help="A team (slug or name) a read token sees; repeat for more.")

    def handle(self, *args, source, label, scope, team, **options):
        found = None
        if source:
            found = Source.objects.filter(Q(name=source) | Q(slug=source)).first()
            if found is None:
                names = ", ".join(Source.objects.values_list("name", flat=True)) or "none yet"
                raise CommandError(f"No source named {source!r}. Sources: {names}.")
        teams = []
        for name in team:
            match = Team.objects.filter(Q(slug=name) | Q(name=name)).first()
            if match is None:
                raise CommandError(f"No team named {name!r}. Teams: {', '.join(Team.objects.values_list('slug', flat=True))}.")
            teams.append(match)
        try:
            _token, plaintext = create_api_token(source=found, label=label, scopes=scope or ["ingest"], teams=teams)
        except TokenRefused as error:
            raise CommandError(str(error)) from None
        what = found.name if found else ", ".join(t.name for t in teams)
        self.stderr.write(f"Token for {what} (store it now, it cannot be shown again):")
        self.stdout.write(plaintext)
