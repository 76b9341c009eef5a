"""Cases, their contacts and their timeline."""

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from casework.feedback.models import Respondent, Response
from casework.teams.models import Team

from .lifecycle import CloseReason, Priority, Status


def first_contact_overdue_q(now) -> models.Q:
    """Open cases nobody has reached yet whose first-contact time has passed (partial index)."""
    return models.Q(first_contacted_at__isnull=True, first_contact_due_at__lt=now) & ~models.Q(status=Status.CLOSED)


def restricted_respondents() -> list[int]:
    """People who restricted processing (GDPR Art. 18): their cases are frozen and leave the queues
    and the counts that drive work. Few, read first, so queue queries keep their indexes."""
    return list(Respondent.objects.filter(restricted_at__isnull=False).values_list("pk", flat=True))


def resolution_overdue_q(now) -> models.Q:
    return models.Q(status__in=[Status.NEW, Status.IN_PROGRESS, Status.WAITING], resolution_due_at__lt=now)


OPEN_STATUSES = [Status.NEW, Status.IN_PROGRESS, Status.WAITING]
# "Most urgent first" (DESIGN.md, lists): open cases before resolved before closed ...
URGENCY_OPEN, URGENCY_RESOLVED, URGENCY_CLOSED = 0, 1, 2
# ... and within each, what is overdue first. A case's due time is the earliest deadline it still has
# to meet: the first contact while nobody has reached the respondent, the resolution while it is open.
# A case with none sorts after every real time (a far-future stand-in, so both databases order it
# alike: SQLite puts NULL first, PostgreSQL last).
NO_DUE_TIME = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


def _urgency_state() -> models.Case:
    return models.Case(
        models.When(status__in=OPEN_STATUSES, then=models.Value(URGENCY_OPEN)),
        models.When(status=Status.RESOLVED, then=models.Value(URGENCY_RESOLVED)),
        default=models.Value(URGENCY_CLOSED),
        output_field=models.SmallIntegerField(),
    )


def _urgency_due() -> models.Case:
    first_contact, resolution = models.F("first_contact_due_at"), models.F("resolution_due_at")
    never = Cast(models.Value(NO_DUE_TIME), models.DateTimeField())
    uncontacted = models.Q(first_contacted_at__isnull=True, first_contact_due_at__isnull=False)
    return models.Case(
        models.When(
            uncontacted & models.Q(status__in=OPEN_STATUSES),
            then=models.Case(
                models.When(resolution_due_at__lt=first_contact, then=resolution),
                default=first_contact,
            ),
        ),
        models.When(status__in=OPEN_STATUSES, resolution_due_at__isnull=False, then=resolution),
        models.When(uncontacted & models.Q(status=Status.RESOLVED), then=first_contact),
        default=never,
        output_field=models.DateTimeField(),
    )


def _urgency_indexes(prefix: str | None, name: str, *trailing: str) -> list[models.Index]:
    head = [prefix] if prefix else []
    return [
        models.Index(fields=[*head, "urgency_state", "urgency_due", "-priority", "number", *trailing], name=f"{name}_due_idx"),
        models.Index(fields=[*head, "urgency_state", "-priority", "urgency_due", "number", *trailing], name=f"{name}_prio_idx"),
    ]


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Status.CLOSED)

    def for_list(self):
        return self.select_related("team", "assignee", "respondent", "response")

    def first_contact_overdue(self, now):
        return self.filter(first_contact_overdue_q(now))

    def resolution_overdue(self, now):
        return self.filter(resolution_overdue_q(now))

    def workable(self):
        """Cases that drive work: not those frozen by their respondent's restriction."""
        restricted = restricted_respondents()
        return self.exclude(respondent_id__in=restricted) if restricted else self

    def most_urgent_first(self, now=None):
        """Open before resolved before closed; within each, overdue first (the longest overdue first),
        then by priority, then the nearest due time. The whole order in one ORDER BY, for short lists
        and exports; the case lists read it in index-sized parts (`urgency_parts`)."""
        now = now or timezone.now()
        overdue = models.Case(models.When(urgency_due__lt=now, then=models.Value(0)), default=models.Value(1))
        overdue_by = models.Case(models.When(urgency_due__lt=now, then=models.F("urgency_due")), default=None)
        return self.order_by("urgency_state", overdue, overdue_by.asc(nulls_last=True), "-priority", "urgency_due", "number")

    def urgency_parts(self, now=None) -> list["CaseQuerySet"]:
        """`most_urgent_first` as consecutive parts, each ordered straight off an index: per state, the
        overdue cases by due time, then the others by priority and due time."""
        now = now or timezone.now()
        parts = []
        for state in (URGENCY_OPEN, URGENCY_RESOLVED, URGENCY_CLOSED):
            cases = self.filter(urgency_state=state)
            if state != URGENCY_CLOSED:  # closed cases have no due time
                parts.append(cases.filter(urgency_due__lt=now).order_by("urgency_due", "-priority", "number"))
            parts.append(cases.filter(urgency_due__gte=now).order_by("-priority", "urgency_due", "number"))
        return parts


class Counter(models.Model):
    """A named number that only grows; case numbers are drawn from it under a row lock."""

    name = models.CharField(max_length=50, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self):
        return f"{self.name} = {self.value}"


# A tag is a short label on one line: PostgreSQL cannot store NUL, a line break breaks the lists and
# CSVs that show tags, and a direction override would reorder the labels shown beside it.
_NOT_IN_TAGS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
TAG_MAX_LENGTH = 60


def is_plain_tag(name: str) -> bool:
    return 0 < len(name) <= TAG_MAX_LENGTH and not _NOT_IN_TAGS.search(name)


class Tag(models.Model):
    """A root-cause tag ("slow payslips", "billing error") put on cases to count causes."""

    name = models.CharField(_("name"), max_length=TAG_MAX_LENGTH, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("root-cause tag")
        verbose_name_plural = _("root-cause tags")

    def __str__(self):
        return self.name


class Case(models.Model):
    Status = Status
    Priority = Priority
    CloseReason = CloseReason

    number = models.PositiveIntegerField(_("number"), unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    respondent = models.ForeignKey(
        Respondent, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("respondent")
    )
    response = models.ForeignKey(
        Response, on_delete=models.PROTECT, related_name="opened_cases", verbose_name=_("opening response")
    )
    product = models.CharField(_("product"), max_length=100, blank=True)
    # The opening response's metric and score, copied (responses never change) so that queues filter
    # by band without joining every case to its response.
    metric = models.CharField(_("metric"), max_length=4, blank=True)
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_contact_due_at = models.DateTimeField(_("first contact due"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_contacted_at = models.DateTimeField(_("first contacted"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="cases", verbose_name=_("root-cause tags"))
    action_summary = models.TextField(_("action taken"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    # When the personal data on this case was removed (the respondent's erasure, or retention): the
    # number, dates, scores and status stay for the figures.
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)
    # Bumped on every change, so that two people editing at once cannot overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Kept by the database from the columns above on every write (bulk ones included), so the lists
    # read "most urgent first" off an index: see `most_urgent_first`.
    urgency_state = models.GeneratedField(expression=_urgency_state(), output_field=models.SmallIntegerField(), db_persist=True)
    urgency_due = models.GeneratedField(expression=_urgency_due(), output_field=models.DateTimeField(), db_persist=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("work_case", _("Can see and work this case (shared individually)"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(condition=models.Q(priority__in=Priority.values), name="case_priority_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=Status.CLOSED) | models.Q(closed_at__isnull=False),
                name="case_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=models.Q(close_reason="") | models.Q(close_reason__in=CloseReason.values),
                name="case_close_reason_valid",
            ),
            # At most one open case per respondent and product: later answers join it instead.
            models.UniqueConstraint(
                fields=["respondent", "product"],
                condition=~models.Q(status=Status.CLOSED) & models.Q(respondent__isnull=False),
                name="case_one_open_per_respondent_product",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status", "-priority"], name="case_assignee_queue_idx"),
            models.Index(fields=["team", "status", "-priority"], name="case_team_queue_idx"),
            # Overdue queries read only cases still waiting for their first contact / resolution.
            models.Index(
                fields=["first_contact_due_at"],
                condition=models.Q(first_contacted_at__isnull=True) & ~models.Q(status=Status.CLOSED),
                name="case_first_contact_due_idx",
            ),
            models.Index(
                fields=["resolution_due_at"],
                condition=models.Q(status__in=[Status.NEW, Status.IN_PROGRESS, Status.WAITING]),
                name="case_resolution_due_idx",
            ),
            models.Index(fields=["product", "status"], name="case_product_status_idx"),
            # The dashboard's loop figures select cases by when they were closed or first contacted.
            models.Index(fields=["closed_at"], condition=models.Q(closed_at__isnull=False), name="case_closed_idx"),
            models.Index(fields=["first_contacted_at"], condition=models.Q(first_contacted_at__isnull=False), name="case_contacted_idx"),
            # Lists read "most urgent first" (`urgency_parts`) straight off these, for everyone and per
            # team or person: the overdue part by due time, the rest by priority. The trailing columns let
            # the common filters (status, band) be checked in the index itself.
            *_urgency_indexes(None, "case_urgency", "status", "metric", "score"),
            *_urgency_indexes("team", "case_team_urgency", "status", "metric", "score"),
            *_urgency_indexes("assignee", "case_assignee_urgency"),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"{settings.CASEWORK_CASE_PREFIX}{self.number}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("cases:detail", kwargs={"reference": self.reference})


class CaseResponse(models.Model):
    """A response that belongs to a case: the one that opened it and later ones that joined it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_responses")
    response = models.OneToOneField(Response, on_delete=models.PROTECT, related_name="case_link")
    attached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attached_at"]
        verbose_name = _("response of a case")
        verbose_name_plural = _("responses of cases")

    def __str__(self):
        return f"{self.case} ← {self.response}"


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    MEETING = "meeting", _("Meeting")
    CHAT = "chat", _("Chat")
    OTHER = "other", _("Other")

class ContactDirection(models.TextChoices):
    OUTBOUND = "outbound", _("We contacted them")
    INBOUND = "inbound", _("They contacted us")

class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    LEFT_MESSAGE = "left_message", _("Left a message")
    BOUNCED = "bounced", _("Bounced")
    REPLIED = "replied", _("Replied")


class Contact(models.Model):
    Channel = ContactChannel
    Direction = ContactDirection
    Outcome = ContactOutcome

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("case"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    summary = models.TextField(_("summary"), blank=True)
    contacted_at = models.DateTimeField(_("when"))
    # Empty for a reply that came in by e-mail: nobody on the staff logged it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["contacted_at"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(condition=models.Q(channel__in=ContactChannel.values), name="contact_channel_valid"),
            models.CheckConstraint(condition=models.Q(direction__in=ContactDirection.values), name="contact_direction_valid"),
            models.CheckConstraint(condition=models.Q(outcome__in=ContactOutcome.values), name="contact_outcome_valid"),
        ]

    def __str__(self):
        return f"{self.case} · {self.get_channel_display()} · {self.get_outcome_display()}"


class EventKind(models.TextChoices):
    OPENED = "opened", _("Case opened")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    PRIORITY = "priority", _("Priority changed")
    RESPONSE = "response", _("Response joined")
    CONTACT = "contact", _("Contact logged")
    NOTE = "note", _("Note")
    TAGS = "tags", _("Tags changed")
    ACTION = "action", _("What we did")
    SHARED = "shared", _("Shared")
    ESCALATED = "escalated", _("Escalated")
    NOTIFICATION = "notification", _("Notification")
    PRIVACY = "privacy", _("Privacy action")
    IDENTITY = "identity", _("Contact details disagree")
    REVISED = "revised", _("Response updated")
    AUTO_REPLY = "auto_reply", _("Automatic reply received")


class Event(models.Model):
    """One append-only line of a case's timeline."""

    Kind = EventKind

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["case", "created_at"], name="event_case_time_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=EventKind.values), name="event_kind_valid")]

    def __str__(self):
        return f"{self.case} · {self.get_kind_display()}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Per-case shares with a colleague outside the team, as a real foreign key for fast lists."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case share")
        verbose_name_plural = _("case shares")


class NoticeKind(models.TextChoices):
    OVERDUE_FIRST_CONTACT = "overdue_first_contact", _("First contact overdue")
    OVERDUE_RESOLUTION = "overdue_resolution", _("Resolution overdue")
    REPLIED = "replied", _("The respondent replied")
    BOUNCED = "bounced", _("The closing e-mail bounced")


class Notice(models.Model):
    """An in-app message for one person, e.g. a manager told that a case of the team is overdue."""

    Kind = NoticeKind

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread_idx")]

    def __str__(self):
        return f"{self.user} · {self.case} · {self.get_kind_display()}"


class CaseSearch(models.Model):
    """A case's searchable text made plain (search.py), read by the database's full-text index: FTS5
    on SQLite, a GIN index over its tsvector on PostgreSQL (migration 0012). Holds personal data:
    rebuilt from the stored data on every change, erasure included."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="search")
    heading = models.TextField(blank=True)  # case number, the respondent's name and company
    email = models.TextField(blank=True)
    body = models.TextField(blank=True)  # comments and contact notes

    class Meta:
        verbose_name = _("search text of a case")
        verbose_name_plural = _("search texts of cases")

    def __str__(self):
        return str(self.case_id)
