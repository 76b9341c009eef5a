from django import forms
from django.utils.translation import gettext_lazy as _

from casework.feedback.models import Source, SourceKind


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Source"), queryset=Source.objects.filter(is_active=True).exclude(kind=SourceKind.INBOUND_EMAIL))
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with a header row; the same fields as the API."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
