from django.contrib import admin

from casework.cases.admin import ReadOnlyAdmin

from .models import EmailTemplate, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["case", "recipient", "status", "attempts", "queued_at", "sent_at"]
    list_filter = ["status", "locale"]
    list_select_related = ["case"]


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "locale", "subject", "is_active"]
    list_filter = ["locale", "is_active"]
    search_fields = ["name", "subject", "body"]
