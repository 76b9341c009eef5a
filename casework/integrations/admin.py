from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import delivery
from .models import WebhookDelivery, WebhookEndpoint, WebhookEventType


class WebhookEndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEventType.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "event_types", "allows_personal_data", "is_active", "owner"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "is_active", "allows_personal_data", "paused_at", "consecutive_failures", "owner"]
    list_filter = ["is_active", "allows_personal_data"]
    readonly_fields = ["secret_hint", "paused_at", "consecutive_failures", "created_at"]
    actions = ["resume", "rotate"]

    @admin.display(description=_("signing secret"))
    def secret_hint(self, endpoint):
        return f"{endpoint.secret[:10]}…" if endpoint.secret else "—"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.secret = delivery.new_signing_secret()
            obj.owner = obj.owner or request.user
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                _("Signing secret of %(name)s (copy it now into the receiver, it is shown only once): %(secret)s")
                % {"name": obj.name, "secret": obj.secret},
                messages.WARNING,
            )

    @admin.action(description=_("Resume the selected endpoints (send what waits)"))
    def resume(self, request, queryset):
        for endpoint in queryset:
            delivery.resume(endpoint)
        self.message_user(request, _("Resumed: %(count)d.") % {"count": queryset.count()}, messages.SUCCESS)

    @admin.action(description=_("Make a new signing secret"))
    def rotate(self, request, queryset):
        for endpoint in queryset:
            secret = delivery.rotate_secret(endpoint)
            self.message_user(
                request,
                _("New signing secret of %(name)s (copy it now, it is shown only once): %(secret)s") % {"name": endpoint.name, "secret": secret},
                messages.WARNING,
            )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Every outbound delivery with its last status; a failed one can be sent again."""

    list_display = ["created_at", "endpoint", "event_type", "case", "status", "attempts", "last_status_code", "error_summary", "delivered_at"]
    list_filter = ["status", "event_type", "endpoint"]
    search_fields = ["message_id"]
    list_select_related = ["endpoint", "case"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    fields = [
        "endpoint", "event_type", "case", "message_id", "status", "attempts", "created_at", "last_attempt_at",
        "next_attempt_at", "last_status_code", "last_error", "delivered_at", "payload",
    ]
    readonly_fields = fields
    change_form_template = "admin/integrations/webhookdelivery/change_form.html"

    def has_add_permission(self, request):
        return False  # deliveries come from events

    @admin.display(description=_("last error"))
    def error_summary(self, item):
        return Truncator(item.last_error).chars(100)

    @admin.action(description=_("Send the selected deliveries again now"))
    def retry(self, request, queryset):
        count = sum(delivery.retry(item) for item in queryset)
        self.message_user(request, _("Deliveries queued again: %(count)d.") % {"count": count}, messages.SUCCESS)

    def get_urls(self):
        return [
            path("<int:pk>/retry/", self.admin_site.admin_view(self.retry_view), name="integrations_webhookdelivery_retry"),
            *super().get_urls(),
        ]

    def retry_view(self, request, pk):
        item = get_object_or_404(WebhookDelivery, pk=pk)
        if not self.has_change_permission(request, item):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if delivery.retry(item):
            self.message_user(request, _("The delivery was queued again."), messages.SUCCESS)
        else:
            self.message_user(request, _("A delivered webhook is not sent again."), messages.WARNING)
        return redirect("admin:integrations_webhookdelivery_change", pk)
