"""A person's own e-mail preferences."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .models import StaffPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = StaffPreference
        fields = ["email_on_assignment", "overdue_digest", "weekly_figures"]


def preferences(request):
    preference, _created = StaffPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("teams:preferences")
    return render(request, "teams/preferences.html", {"form": form})
