from django.contrib import admin

from .models import Import, Route, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["position", "name", "is_active", "metric", "score_min", "score_max", "product", "team", "priority"]
    list_display_links = ["name"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "metric", "team"]
    search_fields = ["name", "keywords", "product"]


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ["product", "country", "team"]
    list_filter = ["team"]
    search_fields = ["product"]


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "source", "uploaded_by", "status", "rows", "created", "duplicates", "invalid", "created_at"]
    list_filter = ["status", "source"]
    readonly_fields = [field.name for field in Import._meta.fields]

    def has_add_permission(self, request):
        return False  # uploads go through /import/, which previews and checks the file

    def has_change_permission(self, request, obj=None):
        return False
