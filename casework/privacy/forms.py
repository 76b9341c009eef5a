"""The privacy desk's forms: input checks only; the services in rights.py, export.py, erasure.py
and requestlog.py decide what may happen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PrivacyRequest


class FindForm(forms.Form):
    """The desk's search box. Checked like every other input: a NUL in a search is a 400 with the
    reason, never a query that PostgreSQL refuses with an error."""

    q = forms.CharField(required=False, max_length=200)


class ReceivedOn(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Request received on"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            help_text=_("The day the person asked; empty means today."),
            **kwargs,
        )


class LogRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PrivacyRequest.Kind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Request"),
        choices=[(PrivacyRequest.Kind.ACCESS, _("Access")), (PrivacyRequest.Kind.PORTABILITY, _("Portability"))],
    )
    received_on = ReceivedOn()


class RectifyForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    company = forms.CharField(label=_("Company"), required=False, max_length=200)
    country = forms.CharField(label=_("Country"), required=False, max_length=2, help_text=_("ISO 3166-1 alpha-2, e.g. LV"))
    locale = forms.CharField(label=_("Language"), required=False, max_length=10, help_text=_("e.g. lv or en"))
    received_on = ReceivedOn()

    CHANGEABLE = ("name", "email", "company", "country", "locale")


class RestrictForm(forms.Form):
    received_on = ReceivedOn()
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ObjectForm(forms.Form):
    received_on = ReceivedOn()


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type the person's e-mail address (or the record number) to confirm"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    received_on = ReceivedOn()
