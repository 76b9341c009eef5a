from django.contrib import admin

from casework.cases.admin import ReadOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["case", "recipient", "status", "attempts", "queued_at", "sent_at"]
    list_filter = ["status", "locale"]
    list_select_related = ["case"]
