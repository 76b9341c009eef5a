from django.contrib import admin

from .models import Route, Rule


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
