from django.contrib import admin

from .membership import add_member, remove_member
from .models import Membership, StaffPreference, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "is_away", "takes_cases"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "strategy", "time_zone", "work_starts", "work_ends"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        # Memberships carry object permissions; the service keeps both in step.
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            remove_member(team=form.instance, user=obj.user)
        for obj in formset.new_objects + [changed for changed, _fields in formset.changed_objects]:
            add_member(team=form.instance, user=obj.user, role=obj.role, is_away=obj.is_away, takes_cases=obj.takes_cases)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "is_away", "takes_cases", "last_assigned_at"]
    list_filter = ["team", "role", "is_away", "takes_cases"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "team__name"]
    readonly_fields = ["team", "user", "last_assigned_at"]
    fields = ["team", "user", "role", "is_away", "takes_cases", "last_assigned_at"]

    def has_add_permission(self, request):
        # Join people to teams on the team's page.
        return False

    def save_model(self, request, obj, form, change):
        # A role change goes through the service, which gives the grants of the new role.
        add_member(team=obj.team, user=obj.user, role=obj.role, is_away=obj.is_away, takes_cases=obj.takes_cases)


@admin.register(StaffPreference)
class StaffPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_on_assignment", "overdue_digest"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
