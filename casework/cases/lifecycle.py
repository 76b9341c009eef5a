"""The case lifecycle as data (DESIGN.md, "Case lifecycle"). workflow.py is the only code that acts on it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class CloseReason(models.TextChoices):
    NOTIFIED = "notified", _("Respondent told what we did")
    OBJECTED = "objected", _("Respondent objected to contact")
    ERASED = "erased", _("Respondent's data erased")
    UNREACHABLE = "unreachable", _("Respondent unreachable")
    NO_ACTION = "no_action", _("No action possible")
    DUPLICATE = "duplicate", _("Duplicate")
    RETENTION = "retention", _("Personal data reached the end of its retention period")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.IN_PROGRESS}),
    Status.IN_PROGRESS: frozenset({Status.WAITING, Status.RESOLVED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}

# Reasons a person may pick when closing without a closing-the-loop message. Retention closes cases
# on its own; nobody picks it.
REASONS_WITHOUT_NOTIFICATION = frozenset(set(CloseReason) - {CloseReason.NOTIFIED, CloseReason.RETENTION})


def allowed_next(status: str) -> frozenset[str]:
    return TRANSITIONS.get(status, frozenset())
