import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from casework.demo.loading import demo_is_loaded, load_demo
from casework.demo.seeding import seed_responses


class Command(BaseCommand):
    help = "Generate N realistic responses and the cases the rules open, for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, required=True, help="How many responses to generate.")
        parser.add_argument("--random-seed", type=int, default=None, help="Make the data repeatable.")

    def handle(self, *args, responses, random_seed, **options):
        if responses < 1:
            raise CommandError("--responses must be at least 1.")
        if not demo_is_loaded():
            # Seeded cases need teams, routes and rules; the demo configuration provides them.
            load_demo()
        started = time.perf_counter()
        counts = seed_responses(responses, rng=random.Random(random_seed))
        with connection.cursor() as cursor:
            # Fresh statistics after a bulk load, so the query planner picks the queue indexes.
            cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {counts['responses']} responses from {counts['respondents']} respondents, "
            f"{counts['cases']} cases, in {seconds:.1f} s ({counts['responses'] / seconds:,.0f} responses/s)."
        )
