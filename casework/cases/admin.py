from django.contrib import admin

from .models import Case, Contact, Event, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Cases change only through the workflow, which writes their timeline; the admin only looks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status", "priority", "team", "assignee", "product", "created_at"]
    list_filter = ["status", "priority", "team"]
    search_fields = ["number", "respondent__email", "respondent__name"]
    list_select_related = ["team", "assignee"]
    date_hierarchy = "created_at"


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ["case", "channel", "direction", "outcome", "contacted_at", "created_by"]
    list_filter = ["channel", "outcome"]
    list_select_related = ["case", "created_by"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["case", "actor"]
