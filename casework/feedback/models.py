"""What came in: sources, the people who answered, and their answers."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .contact_details import email_key, search_key, validate_person_name
from .metrics import SCORE_RANGES, Band, Metric, band_for


class SourceKind(models.TextChoices):
    """What a source sends, and so which endpoint or importer reads it (README, "Connectors")."""

    CASEWORK = "casework", _("Casework JSON (API or signed webhook)")
    FORMBRICKS = "formbricks", _("Formbricks webhook")
    DELIGHTED = "delighted", _("Delighted webhook")
    TYPEFORM = "typeform", _("Typeform webhook")
    QUALTRICS_CSV = "qualtrics_csv", _("Qualtrics CSV export")
    GENERIC_CSV = "generic_csv", _("Casework CSV")
    # Not a survey tool: a mail service that forwards respondents' replies (POST /api/v1/inbound-email).
    INBOUND_EMAIL = "inbound_email", _("Inbound e-mail (replies forwarded by a mail service)")


# Kinds that post to /api/v1/webhooks/<slug>, each verified with its tool's own signature scheme.
WEBHOOK_KINDS = (SourceKind.CASEWORK, SourceKind.FORMBRICKS, SourceKind.DELIGHTED, SourceKind.TYPEFORM)


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Not a time zone name such as Europe/Riga.")) from None


class Source(models.Model):
    Kind = SourceKind

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=15, choices=SourceKind.choices, default=SourceKind.CASEWORK)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    default_product = models.CharField(
        _("default product"),
        max_length=100,
        blank=True,
        help_text=_("The product of every response from this source whose answers do not name one."),
    )
    time_zone = models.CharField(
        _("time zone of exported dates"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("For legacy Qualtrics exports, whose dates carry no time zone; empty means the server's."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 digest is kept: the token itself is shown once, when
    it is created, and cannot be recovered from the database. Its scopes say what it may do: `ingest`
    posts responses as its source; `read` reads cases and responses of its teams, exactly as a member
    of those teams sees them."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="tokens", verbose_name=_("source"),
        help_text=_("Needed to ingest: responses are stored as coming from it."),
    )
    can_ingest = models.BooleanField(_("scope: ingest"), default=True)
    can_read = models.BooleanField(_("scope: read"), default=False)
    teams = models.ManyToManyField(
        "teams.Team", blank=True, related_name="+", verbose_name=_("teams it reads"),
        help_text=_("A read token sees the cases of these teams, as their members do."),
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(can_ingest=False) | models.Q(source__isnull=False),
                name="api_token_ingest_has_source",
                violation_error_message=_("An ingest token needs its source: responses are stored as coming from it."),
            ),
        ]

    def __str__(self):
        return f"{self.source or self.label} · {self.prefix}…"

    def clean(self):
        # The constraint says the same, but a form that leaves `source` out would not check it.
        if self.can_ingest and self.source_id is None:
            raise ValidationError({"can_ingest": _("An ingest token needs its source: responses are stored as coming from it.")})

    @property
    def scopes(self) -> list[str]:
        return [name for name, granted in (("ingest", self.can_ingest), ("read", self.can_read)) if granted]


class WebhookSecret(models.Model):
    """A signing secret for a source's webhooks. Unlike an API token it is kept as it is: checking an
    HMAC signature needs the key itself. Several may be active at once while a tool rotates them."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="webhook_secrets", verbose_name=_("source"))
    label = models.CharField(_("label"), max_length=100, blank=True)
    secret = models.CharField(_("secret"), max_length=500, editable=False)
    # The first characters, so that people can tell secrets apart without seeing them.
    hint = models.CharField(_("begins with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook secret")
        verbose_name_plural = _("webhook secrets")

    def __str__(self):
        return f"{self.source} · {self.hint}…"


class MappingTarget(models.TextChoices):
    SCORE = "score", _("Score")
    COMMENT = "comment", _("Comment")
    PRODUCT = "product", _("Product")
    RESPONDENT_ID = "respondent_id", _("Respondent's user id")
    RESPONDENT_EMAIL = "respondent_email", _("Respondent's e-mail")
    RESPONDENT_NAME = "respondent_name", _("Respondent's name")
    RESPONDENT_COMPANY = "respondent_company", _("Respondent's company")
    RESPONDENT_COUNTRY = "respondent_country", _("Respondent's country")
    LOCALE = "locale", _("Language")


class FieldMapping(models.Model):
    """Which answer of a tool's payload means what, where the payload does not say it: a Formbricks
    element id, a Typeform field ref or hidden field, a Qualtrics ImportId (or column name), a
    Delighted survey type or person property."""

    Target = MappingTarget

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("source"))
    survey = models.CharField(
        _("survey"),
        max_length=200,
        blank=True,
        help_text=_("The tool's survey or form id this line is for; empty for every survey."),
    )
    key = models.CharField(
        _("question"),
        max_length=200,
        blank=True,
        help_text=_("Element id, field ref, hidden field, ImportId or property name as the tool sends it."),
    )
    value = models.CharField(
        _("fixed value"), max_length=200, blank=True, help_text=_("Used instead of an answer when the question is empty.")
    )
    target = models.CharField(_("means"), max_length=20, choices=Target.choices)
    metric = models.CharField(_("metric"), max_length=4, choices=Metric.choices, blank=True)
    scale = models.PositiveSmallIntegerField(
        _("points on the tool's scale"),
        null=True,
        blank=True,
        help_text=_("Only when the tool's scale is shorter than Casework's: 3 for a 3-point CSAT, 5 for a 5-point CES."),
    )

    class Meta:
        ordering = ["source", "survey", "target", "key"]
        verbose_name = _("field mapping")
        verbose_name_plural = _("field mappings")
        constraints = [
            models.UniqueConstraint(fields=["source", "survey", "key", "value", "target"], name="mapping_once"),
            models.CheckConstraint(
                condition=~models.Q(key="", value=""), name="mapping_has_key_or_value"
            ),
            models.CheckConstraint(
                condition=~models.Q(target="score") | ~models.Q(metric=""), name="mapping_score_has_metric"
            ),
        ]

    def __str__(self):
        return f"{self.survey or '*'} · {self.key or repr(self.value)} → {self.get_target_display()}"

    def clean(self):
        if not self.key and not self.value:
            raise ValidationError(_("Give the question, or a fixed value."))
        if self.target == self.Target.SCORE and not self.metric:
            raise ValidationError({"metric": _("A score needs its metric.")})
        if self.scale is not None and (self.target != self.Target.SCORE or (self.metric, self.scale) not in SHORT_SCALES):
            raise ValidationError({"scale": _("Only a 3-point CSAT or a 5-point CES can be converted.")})


# Shorter scales some tools use, converted so that each answer keeps its band (metrics.py).
SHORT_SCALES = {("csat", 3): {1: 1, 2: 3, 3: 5}, ("ces", 5): {1: 1, 2: 2, 3: 4, 4: 5, 5: 7}}


class Respondent(models.Model):
    """A person who answered. The survey tools' own user ids for them are RespondentIdentity rows:
    a user id means something only inside the source that sent it."""

    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    # `email` as compared: case-folded, internationalised domain in its ASCII form (contact_details.py).
    email_key = models.CharField(_("e-mail as compared"), max_length=254, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=200, blank=True, validators=[validate_person_name])
    company = models.CharField(_("company"), max_length=200, blank=True, validators=[validate_person_name])
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    locale = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When the response that the details above came from was answered: an older answer imported
    # later must not overwrite newer details.
    details_as_of = models.DateTimeField(_("details as of"), null=True, blank=True)
    # Name, company and address without diacritics or case, for the privacy desk's search.
    search_key = models.CharField(_("as searched"), max_length=700, blank=True, editable=False)
    objected_at = models.DateTimeField(_("objected to contact"), null=True, blank=True)
    restricted_at = models.DateTimeField(_("processing restricted"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    # When the retention period removed the person's details (their answers had all aged out).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        ordering = ["name", "email"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        permissions = [("handle_privacy_requests", _("Can handle respondents' privacy requests"))]
        constraints = [
            # One person per address, however its letters or its domain are spelled.
            models.UniqueConstraint(fields=["email_key"], condition=~models.Q(email_key=""), name="respondent_email_key_unique"),
            models.CheckConstraint(
                condition=models.Q(country="") | models.Q(country__regex=r"^[A-Z]{2}$"),
                name="respondent_country_iso",
            ),
        ]
        indexes = [
            # Cases of restricted people leave the work queues: this list is read on every queue page.
            models.Index(fields=["restricted_at"], condition=models.Q(restricted_at__isnull=False), name="respondent_restricted_idx"),
        ]

    def __str__(self):
        return self.name or self.email or _("Respondent #%(pk)s") % {"pk": self.pk}

    def derive_keys(self) -> None:
        """The compared and searched forms are derived from the details and must never drift from
        them, whichever code path saves the row (the bulk paths call this too)."""
        self.email_key = email_key(self.email)
        self.search_key = search_key(self.name, self.company, self.email)[:700]

    def save(self, *args, **kwargs):
        self.derive_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"email", "name", "company"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "email_key", "search_key"}
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        """Objected, restricted or erased: nothing personal may be stored or sent any more."""
        return bool(self.objected_at or self.restricted_at or self.erased_at)


class RespondentIdentity(models.Model):
    """A survey tool's user id for a person. Two tools may both have a "u-1001" for different people,
    so the id identifies someone only together with its source."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="identities", verbose_name=_("source"))
    external_id = models.CharField(_("user id at the source"), max_length=200)
    respondent = models.ForeignKey(
        Respondent, on_delete=models.CASCADE, related_name="identities", verbose_name=_("respondent")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["source", "external_id"]
        verbose_name = _("user id at a source")
        verbose_name_plural = _("user ids at sources")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="identity_once_per_source"),
        ]

    def __str__(self):
        return f"{self.source} · {self.external_id}"


def has_comment(text: str) -> bool:
    """Whether an answer came with a comment: whitespace alone is none. Intake stores comments stripped,
    so in the database the same rule is `comment_given_q`."""
    return bool(text.strip())


def comment_given_q(path: str = "comment") -> models.Q:
    return ~models.Q(**{path: ""})


class ResponseChannel(models.TextChoices):
    WEB = "web", _("Web")
    MOBILE = "mobile", _("Mobile")
    EMAIL = "email", _("E-mail")
    LINK = "link", _("Link")


class Response(models.Model):
    Channel = ResponseChannel

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="responses", verbose_name=_("source"))
    external_id = models.CharField(_("id at the source"), max_length=200)
    respondent = models.ForeignKey(
        Respondent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("respondent"),
    )
    metric = models.CharField(_("metric"), max_length=4, choices=Metric.choices)
    score = models.SmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    product = models.CharField(_("product"), max_length=100, blank=True)
    page_url = models.URLField(_("page URL"), max_length=2000, blank=True)
    locale = models.CharField(_("language"), max_length=10, blank=True)
    # When the comment and page URL were removed, by erasure or because the answer aged out.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        ordering = ["-answered_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="response_once_per_source"),
            models.CheckConstraint(
                condition=models.Q(
                    *[
                        models.Q(metric=metric, score__gte=low, score__lte=high)
                        for metric, (low, high) in SCORE_RANGES.items()
                    ],
                    _connector=models.Q.OR,
                ),
                name="response_score_in_metric_range",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=["", *ResponseChannel.values]),
                name="response_channel_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["metric", "answered_at"], name="response_metric_time_idx"),
            models.Index(fields=["product", "answered_at"], name="response_product_time_idx"),
            # The dashboard counts answers by metric and score over a period: read off this index alone.
            models.Index(fields=["answered_at", "metric", "score"], name="response_time_score_idx"),
            models.Index(fields=["received_at"], name="response_received_idx"),
            # Retention reads only the answers it has not anonymised yet, oldest first, and finds a batch
            # again by the moment it stamped on it.
            models.Index(fields=["received_at"], condition=models.Q(anonymised_at__isnull=True), name="response_to_anonymise_idx"),
            models.Index(fields=["anonymised_at"], condition=models.Q(anonymised_at__isnull=False), name="response_anonymised_idx"),
        ]

    def __str__(self):
        return f"{self.get_metric_display()} {self.score} · {self.external_id}"

    @property
    def band(self) -> Band:
        return band_for(self.metric, self.score)


class Suppression(models.Model):
    """A one-way fingerprint of an erased respondent's e-mail address or user id. It lets intake
    recognise that person's later answers and keep them free of personal data, without keeping
    the address itself."""

    digest = models.CharField(_("fingerprint"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed identity")
        verbose_name_plural = _("suppressed identities")

    def __str__(self):
        return f"{self.digest[:12]}…"
