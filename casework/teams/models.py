"""Teams, who belongs to them, and the roles that decide what a person may see.

Choices, here as in every app, are TextChoices defined once at module level next to their model, named
<Model><Field>, and exposed on the model (`Team.Strategy`); constraints and seeds derive from them."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase


class TeamStrategy(models.TextChoices):
    QUEUE = "queue", _("Team queue only")
    ROUND_ROBIN = "round_robin", _("Round-robin")
    LEAST_LOADED = "least_loaded", _("Least loaded")


class MembershipRole(models.TextChoices):
    STAFF = "staff", _("Staff")
    MANAGER = "manager", _("Manager")


class Team(models.Model):
    Strategy = TeamStrategy

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    strategy = models.CharField(
        _("assignment strategy"), max_length=20, choices=Strategy.choices, default=Strategy.QUEUE
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Riga")
    work_starts = models.TimeField(_("working day starts"), default=datetime.time(9))
    work_ends = models.TimeField(_("working day ends"), default=datetime.time(17))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        # Granted per team through django-guardian when someone joins (see membership.py).
        permissions = [
            ("work_cases", _("Can see and work the team's cases")),
            ("manage_cases", _("Can assign, reopen and bulk-edit the team's cases")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strategy__in=TeamStrategy.values),
                name="team_strategy_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(work_starts__lt=models.F("work_ends")),
                name="team_working_day_not_empty",
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    Role = MembershipRole

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    is_away = models.BooleanField(
        _("away"), default=False, help_text=_("Away members are skipped when new cases are assigned.")
    )
    # Managers oversee; they are handed new cases only when this says they also work them (issue 11).
    takes_cases = models.BooleanField(
        _("takes cases"),
        default=True,
        help_text=_("Only members who take cases and are not away are given new cases automatically."),
    )
    last_assigned_at = models.DateTimeField(_("last assigned"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["team", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_once_per_team"),
            models.CheckConstraint(condition=models.Q(role__in=MembershipRole.values), name="membership_role_valid"),
        ]
        indexes = [models.Index(fields=["team", "is_away", "last_assigned_at"], name="membership_rotation_idx")]

    def __str__(self):
        return f"{self.user} · {self.team} ({self.get_role_display()})"


class TeamUserObjectPermission(UserObjectPermissionBase):
    """Team grants with a real foreign key, so that "cases of my teams" is one indexed join.

    Every grant hangs from the membership it was made for: deleting the membership through Django (the
    admin's list, a bulk delete, a team or user deleted) deletes its grants, and the foreign key makes
    the database refuse any other deletion that would leave them behind. (Django's database-level
    cascade cannot be used here: it must then be used along the whole chain of users and teams.)"""

    content_object = models.ForeignKey(Team, on_delete=models.CASCADE)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("team permission")
        verbose_name_plural = _("team permissions")


class StaffPreference(models.Model):
    """What e-mail a member of staff wants from Casework."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_preference")
    email_on_assignment = models.BooleanField(_("e-mail me when a case is assigned to me"), default=True)
    overdue_digest = models.BooleanField(_("daily digest of overdue cases (managers)"), default=True)
    # Opt-in: a figures e-mail nobody asked for would soon be filtered away unread.
    weekly_figures = models.BooleanField(_("Monday e-mail with my teams' figures (managers)"), default=False)

    class Meta:
        verbose_name = _("staff preference")
        verbose_name_plural = _("staff preferences")

    def __str__(self):
        return str(self.user)
