from django.contrib import admin

from .models import PrivacyRequest


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are written by the privacy desk and its commands, which also act on them."""

    list_display = ["kind", "respondent_id", "received_on", "due_on", "extended_due_on", "status", "action", "channel"]
    list_filter = ["kind", "status", "channel"]
    readonly_fields = [field.name for field in PrivacyRequest._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
