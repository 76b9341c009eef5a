"""Bulk actions on selected cases: all or nothing. Every selected case must be visible to the person,
of a team they manage, and able to take the change; otherwise nothing changes and the message names
the cases that stood in the way."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from . import workflow
from . import access
from .access import teams_user_manages, visible_cases
from .lifecycle import Status
from .models import is_plain_tag

ASSIGN, STATUS, TAG = "assign", "status", "tag"
ACTIONS = (ASSIGN, STATUS, TAG)
MAX_CASES = 500


class BulkRefused(Exception):
    pass


def apply(*, user, references: list[str], action: str, value: str) -> int:
    numbers = _numbers(references)
    cases = list(visible_cases(user).filter(number__in=numbers).select_related("team", "assignee").order_by("number"))
    missing = sorted(set(numbers) - {case.number for case in cases})
    if missing:
        raise BulkRefused(_("Nothing was changed: not found: %(cases)s.") % {"cases": _names(missing)})
    managed = set(teams_user_manages(user).values_list("pk", flat=True))
    not_managed = [case.number for case in cases if case.team_id not in managed]
    if not_managed:
        raise BulkRefused(
            _("Nothing was changed: only team managers can change several cases at once: %(cases)s.") % {"cases": _names(not_managed)}
        )
    perform = _action(action, value, cases, user)
    try:
        with transaction.atomic():
            for case in cases:
                perform(case, user)
    except workflow.WorkflowError as refused:
        raise BulkRefused(_("Nothing was changed: %(case)s: %(reason)s") % {"case": case.reference, "reason": refused}) from None
    return len(cases)


def _numbers(references) -> list[int]:
    if not references:
        raise BulkRefused(_("Select at least one case."))
    if len(references) > MAX_CASES:
        raise BulkRefused(_("Select at most %(max)d cases at once.") % {"max": MAX_CASES})
    pattern = re.escape(settings.CASEWORK_CASE_PREFIX) + r"([0-9]{1,9})"
    numbers = []
    for reference in references:
        match = re.fullmatch(pattern, reference)
        if match is None:
            raise BulkRefused(_("Nothing was changed: not found: %(cases)s.") % {"cases": reference[:30]})
        numbers.append(int(match[1]))
    return sorted(set(numbers))


def _names(numbers) -> str:
    return ", ".join(f"{settings.CASEWORK_CASE_PREFIX}{number}" for number in numbers[:20])


def _action(action, value, cases, user):
    if action == ASSIGN:
        person = None
        if value:
            valid = value.isascii() and value.isdecimal() and len(value) < 10
            person = get_user_model().objects.filter(pk=int(value) if valid else None, is_active=True).first()
            if person is None:
                raise BulkRefused(_("Choose a person to assign to."))
        return lambda case, user: workflow.assign_case(case=case, assignee=person, actor=user)
    if action == STATUS:
        if value not in Status.values:
            raise BulkRefused(_("Choose a status."))
        stuck = [case.number for case in cases if not access.may_move_to(user, case, value)]
        if stuck:
            raise BulkRefused(
                _("Nothing was changed: these cases cannot become %(status)s: %(cases)s.")
                % {"status": Status(value).label, "cases": _names(stuck)}
            )
        return lambda case, user: workflow.change_status(case=case, to=value, actor=user)
    if action == TAG:
        name = value.strip()
        if not is_plain_tag(name):
            raise BulkRefused(_("Write a tag of at most 60 characters, on one line without control characters."))
        return lambda case, user: workflow.add_tag(case=case, actor=user, name=name)
    raise BulkRefused(_("Choose what to do with the selected cases."))
