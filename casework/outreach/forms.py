from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EmailTemplate


class ComposeForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=EmailTemplate.objects.filter(is_active=True), required=False)
    locale = forms.ChoiceField(label=_("Language"), choices=[])
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}))
    # The case as the writer saw it: a change meanwhile (say, to the action summary) is not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, team=None, **kwargs):
        from django.conf import settings
        from django.db.models import Q

        super().__init__(*args, **kwargs)
        self.fields["locale"].choices = settings.LANGUAGES
        # Everyone's templates and the case's team's own; never another team's.
        self.fields["template"].queryset = EmailTemplate.objects.filter(Q(team__isnull=True) | Q(team=team), is_active=True)

    def clean_subject(self):
        from .sending import is_one_line

        subject = self.cleaned_data["subject"].strip()
        if not is_one_line(subject):
            raise forms.ValidationError(_("The subject must be one line."))
        return subject
