from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Respondent, RespondentIdentity, Response, Source
from .tokens import create_api_token, revoke_api_token


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ["label", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["label", "prefix", "created_at", "last_used_at", "revoked_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Tokens are made by the "create API token" action, which shows the secret once.
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [ApiTokenInline]
    actions = ["create_token"]

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
    list_display = ["source", "label", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["source"]
    readonly_fields = ["source", "label", "prefix", "created_at", "last_used_at", "revoked_at"]
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
