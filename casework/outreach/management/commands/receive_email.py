"""One inbound e-mail on standard input, as Postfix's pipe(8), Exim's pipe transport and procmail hand it
over (README, "Replies from respondents"). The exit status follows sysexits.h, which MTAs understand:
0 accepted, 65 (EX_DATAERR) not a readable message, 67 (EX_NOUSER) no case has this reply address or
it was forged (the MTA bounces it), 75 (EX_TEMPFAIL) the database could not be reached (the MTA
keeps the message and tries again)."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from casework.outreach.replies import receive_email

EX_DATAERR, EX_NOUSER, EX_TEMPFAIL = 65, 67, 75


class Command(BaseCommand):
    help = "Read one raw e-mail (RFC 5322) on standard input and put a respondent's reply on its case."

    def add_arguments(self, parser):
        parser.add_argument(
            "--recipient", default="", help="The envelope recipient, e.g. Postfix's ${original_recipient}; else read from the headers."
        )

    def handle(self, *args, recipient="", **options):
        raw = sys.stdin.buffer.read(settings.CASEWORK_INBOUND_MAX_BYTES + 1)
        try:
            received = receive_email(raw, recipient=recipient, via="pipe")
        except DatabaseError as error:
            raise CommandError(f"Temporary failure, try again later ({type(error).__name__}).", returncode=EX_TEMPFAIL) from None
        if received.refused_as == "bad_message":
            raise CommandError(received.detail, returncode=EX_DATAERR)
        if received.refused_as:
            raise CommandError(received.detail, returncode=EX_NOUSER)
        self.stdout.write(f"{received.outcome}: {received.detail}")
