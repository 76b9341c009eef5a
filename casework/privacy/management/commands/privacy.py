"""Privacy requests from a script or a runbook: the same services, and the same request records, as
the privacy desk."""

import datetime
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from casework.privacy import erasure, export, requestlog, rights
from casework.privacy.finding import find_respondents, respondent_by_reference
from casework.privacy.models import PrivacyRequest
from casework.teams.roles import is_privacy_officer

COMMAND = PrivacyRequest.Channel.COMMAND


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--received must be a date like 2026-11-20, not {value!r}.") from None


class Command(BaseCommand):
    help = "Answer respondents' GDPR requests: find, export, rectify, restrict, unrestrict, object, erase."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        find = actions.add_parser("find", help="Find respondents by e-mail, name, company, user id or case number.")
        find.add_argument("query")
        for name, help_text in [
            ("export", "Write everything held about the person as JSON (access or portability request)."),
            ("rectify", "Correct the person's details."),
            ("restrict", "Restrict processing: the person's cases are frozen."),
            ("unrestrict", "Lift a restriction."),
            ("object", "Record an objection to contact."),
            ("erase", "Erase the person's personal data."),
        ]:
            sub = actions.add_parser(name, help=help_text)
            sub.add_argument("respondent", help="The record number (12 or #12) or the exact e-mail address.")
            sub.add_argument("--by", default="", help="User name of the privacy officer handling the request.")
            if name != "unrestrict":
                sub.add_argument("--received", default="", help="The day the person asked (YYYY-MM-DD); default today.")
            if name == "export":
                sub.add_argument("--kind", choices=["access", "portability"], default="access")
                sub.add_argument("--output", default="", help="File to write (default: standard output).")
            if name == "rectify":
                for field in rights.RECTIFIABLE:
                    sub.add_argument(f"--{field}", default=None, help=f"The correct {field} (empty to remove it).")
            if name == "restrict":
                sub.add_argument("--note", default="")
            if name == "unrestrict":
                sub.add_argument("--reason", required=True)
            if name == "erase":
                sub.add_argument("--confirm", required=True, help="The person's e-mail address (or record number) again.")

    def handle(self, *args, action, **options):
        if action == "find":
            return self._find(options["query"])
        respondent = respondent_by_reference(options["respondent"])
        if respondent is None:
            raise CommandError(f"No respondent {options['respondent']!r}: use the record number or the exact e-mail address (see `privacy find`).")
        actor = self._actor(options["by"])
        received = _date(options["received"]) if options.get("received") else None
        try:
            self._act(action, respondent, actor, received, options)
        except rights.RectificationRefused as refused:
            raise CommandError("; ".join(f"{field}: {message}" for field, message in refused.errors.items())) from None
        except requestlog.RequestError as refused:
            raise CommandError(str(refused)) from None

    def _act(self, action, respondent, actor, received, options):
        common = {"respondent": respondent, "actor": actor, "channel": COMMAND}
        if action == "export":
            document, _request = export.export_respondent(**common, kind=options["kind"], received_on=received)
            text = json.dumps(document, ensure_ascii=False, indent=2)
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8") as out:
                    out.write(text + "\n")
                self.stderr.write(f"Wrote {options['output']}.")
            else:
                self.stdout.write(text)
        elif action == "rectify":
            changes = {field: options[field] for field in rights.RECTIFIABLE if options[field] is not None}
            request = rights.rectify(**common, changes=changes, received_on=received)
            self.stdout.write(f"Corrected: {', '.join(request.fields)}.")
        elif action == "restrict":
            rights.restrict(**common, received_on=received, note=options["note"])
            self.stdout.write(f"Processing restricted for respondent #{respondent.pk}.")
        elif action == "unrestrict":
            rights.lift_restriction(**common, reason=options["reason"])
            self.stdout.write(f"Restriction lifted for respondent #{respondent.pk}.")
        elif action == "object":
            rights.object_to_contact(**common, received_on=received)
            self.stdout.write(f"Objection recorded for respondent #{respondent.pk}.")
        elif action == "erase":
            erasure.erase_respondent(**common, confirm=options["confirm"], received_on=received)
            self.stdout.write(f"Respondent #{respondent.pk} erased.")

    def _actor(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not is_privacy_officer(user):
            raise CommandError(f"{username!r} is not an active privacy officer.")
        return user

    def _find(self, query):
        found = find_respondents(query)
        if not found:
            self.stdout.write("No respondent matches.")
        for person in found:
            state = "erased" if person.erased_at else "restricted" if person.restricted_at else "objected" if person.objected_at else "active"
            self.stdout.write(
                f"#{person.pk}\t{person.name or '-'}\t{person.email or '-'}\t{person.company or '-'}\t"
                f"{person.response_count} responses\t{person.case_count} cases\t{state}"
            )
