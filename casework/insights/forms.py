"""Validation of the managers' screens' inputs."""

from django import forms
from django.utils.translation import gettext_lazy as _

YES_NO = [("1", _("Yes")), ("0", _("No"))]


def _flag(label):
    return forms.TypedChoiceField(label=label, choices=YES_NO, coerce=lambda value: value == "1", empty_value=None, required=False)


class AvailabilityForm(forms.Form):
    """One or both of a member's flags, each "1" or "0"; what is not sent stays as it is."""

    is_away = _flag(_("away"))
    takes_cases = _flag(_("takes cases"))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and all(cleaned.get(field) is None for field in self.fields):
            raise forms.ValidationError(_("Say whether the member is away or takes cases."))
        return cleaned
