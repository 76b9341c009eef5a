from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .deliveries import retry_delivery
from .models import Delivery, Import, Route, Rule


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


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The Deliveries page: every webhook delivery with its outcome, so that nothing a tool sent is
    lost; one that could not be mapped keeps its body and error and can be retried once fixed."""

    list_display = ["received_at", "source", "event", "status", "error_summary", "outcome", "attempts"]
    list_filter = ["status", "source"]
    search_fields = ["delivery_id", "outcome"]
    date_hierarchy = "received_at"
    list_select_related = ["source"]
    actions = ["retry"]
    fields = ["source", "delivery_id", "event", "received_at", "status", "error", "outcome", "attempts", "processed_at", "body_size"]
    readonly_fields = fields
    change_form_template = "admin/intake/delivery/change_form.html"

    def has_add_permission(self, request):
        return False  # deliveries come from the tools

    @admin.display(description=_("error"))
    def error_summary(self, delivery):
        return Truncator(delivery.error).chars(120)

    @admin.display(description=_("body kept"))
    def body_size(self, delivery):
        size = len(delivery.body or b"")
        return _("%(size)d bytes") % {"size": size} if size else _("no (cleared once processed)")

    @admin.action(description=_("Retry the selected failed deliveries"))
    def retry(self, request, queryset):
        retried = sum(retry_delivery(delivery=delivery) for delivery in queryset)
        self.message_user(request, _("Deliveries queued again: %(count)d.") % {"count": retried}, messages.SUCCESS)

    def get_urls(self):
        return [
            path("<int:pk>/retry/", self.admin_site.admin_view(self.retry_view), name="intake_delivery_retry"),
            *super().get_urls(),
        ]

    def retry_view(self, request, pk):
        delivery = get_object_or_404(Delivery, pk=pk)
        if not self.has_change_permission(request, delivery):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if retry_delivery(delivery=delivery):
            self.message_user(request, _("The delivery was queued again."), messages.SUCCESS)
        else:
            self.message_user(request, _("Only a failed delivery can be retried."), messages.WARNING)
        return redirect("admin:intake_delivery_change", pk)
