from django.contrib import admin

from .models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Read-only: the schedule itself lives in settings.CASEWORK_PERIODIC_JOBS."""

    list_display = ["name", "schedule", "next_run_at", "last_started_at", "last_finished_at", "last_outcome", "locked_by"]
    readonly_fields = [field.name for field in ScheduledJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
