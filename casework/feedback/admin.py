from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, FieldMapping, Respondent, RespondentIdentity, Response, Source, WebhookSecret
from .tokens import create_api_token, revoke_api_token
from .webhook_secrets import (
    SecretRefused,
    add_webhook_secret,
    check_pasted_secret,
    create_webhook_secret,
    revoke_webhook_secret,
)


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ["label", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["label", "prefix", "created_at", "last_used_at", "revoked_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Tokens are made by the "create API token" action, which shows the secret once.
        return False


class WebhookSecretInline(admin.TabularInline):
    model = WebhookSecret
    extra = 0
    fields = ["label", "hint", "created_at", "revoked_at"]
    readonly_fields = ["label", "hint", "created_at", "revoked_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Made by the "create webhook secret" action or pasted under Webhook secrets, shown once.
        return False


class FieldMappingInline(admin.TabularInline):
    model = FieldMapping
    extra = 1
    fields = ["survey", "key", "value", "target", "metric", "scale"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    fields = ["name", "slug", "kind", "description", "is_active", "default_product", "time_zone"]
    inlines = [FieldMappingInline, WebhookSecretInline, ApiTokenInline]
    actions = ["create_token", "create_secret"]

    @admin.action(description=_("Create a webhook secret"))
    def create_secret(self, request, queryset):
        for source in queryset:
            try:
                _secret, plaintext = create_webhook_secret(source=source, label=f"admin:{request.user.get_username()}")
            except SecretRefused as error:
                self.message_user(request, f"{source}: {error}", messages.ERROR)
                continue
            self.message_user(
                request,
                _("New webhook secret for %(source)s (copy it now, it is shown only once): %(secret)s")
                % {"source": source, "secret": plaintext},
                messages.WARNING,
            )

    @admin.action(description=_("Create an API token"))
    def create_token(self, request, queryset):
        for source in queryset:
            _token, plaintext = create_api_token(source=source, label=f"admin:{request.user.get_username()}")
            self.message_user(
                request,
                _("New token for %(source)s (copy it now, it is shown only once): %(token)s")
                % {"source": source, "token": plaintext},
                messages.WARNING,
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["source", "label", "prefix", "can_ingest", "can_read", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["source", "can_ingest", "can_read"]
    fields = ["source", "label", "prefix", "can_ingest", "can_read", "teams", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["source", "label", "prefix", "created_at", "last_used_at", "revoked_at"]
    filter_horizontal = ["teams"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            revoke_api_token(token=token)


class RespondentIdentityInline(admin.TabularInline):
    model = RespondentIdentity
    extra = 0
    fields = ["source", "external_id", "created_at"]
    readonly_fields = ["source", "external_id", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # user ids arrive with responses


@admin.register(Respondent)
class RespondentAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "company", "country", "locale", "objected_at", "restricted_at", "erased_at"]
    list_filter = ["country", "locale"]
    search_fields = ["name", "email", "identities__external_id", "company"]
    inlines = [RespondentIdentityInline]
    readonly_fields = ["created_at", "updated_at", "objected_at", "restricted_at", "erased_at"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["external_id", "source", "metric", "score", "product", "answered_at"]
    list_filter = ["metric", "source", "channel", "product"]
    search_fields = ["external_id", "comment", "respondent__email"]
    date_hierarchy = "answered_at"
    raw_id_fields = ["respondent"]
    readonly_fields = ["received_at"]
    list_select_related = ["source"]


class WebhookSecretForm(forms.ModelForm):
    """Pastes the secret a tool made (Formbricks, Delighted); it is never shown again."""

    pasted = forms.CharField(
        label=_("Secret"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("As the tool shows it: Formbricks' whsec_… secret, or Delighted's private API key."),
    )

    class Meta:
        model = WebhookSecret
        fields = ["source", "label"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("pasted"):
            try:
                check_pasted_secret(source=cleaned["source"], secret=cleaned["pasted"])
            except SecretRefused as error:
                raise ValidationError({"pasted": str(error)}) from None
        return cleaned


@admin.register(WebhookSecret)
class WebhookSecretAdmin(admin.ModelAdmin):
    list_display = ["source", "label", "hint", "created_at", "revoked_at"]
    list_filter = ["source"]
    readonly_fields = ["source", "label", "hint", "created_at", "revoked_at"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = WebhookSecretForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else ["source", "label", "pasted"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        stored = add_webhook_secret(source=obj.source, secret=form.cleaned_data["pasted"], label=obj.label)
        obj.pk, obj.hint, obj.secret, obj.created_at = stored.pk, stored.hint, stored.secret, stored.created_at

    @admin.action(description=_("Revoke the selected secrets"))
    def revoke(self, request, queryset):
        for secret in queryset:
            revoke_webhook_secret(secret=secret)
