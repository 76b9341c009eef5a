"""The dashboard's filters, read from the URL so a view can be shared and the back button works.
A value that cannot be used is a form error (answered with 400), never a crash."""

import datetime

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from casework.feedback.metrics import Band, Metric
from casework.feedback.models import ResponseChannel

from .periods import DEFAULT_PRESET, LONGEST, Preset, period_for


class DashboardForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=Preset.choices, required=False)
    start = forms.DateField(label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False, empty_label=_("All my teams"))
    product = forms.CharField(label=_("Product"), max_length=100, required=False)
    metric = forms.ChoiceField(label=_("Metric"), choices=[("", _("Any metric")), *Metric.choices], required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("Any channel")), *ResponseChannel.choices], required=False)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        required=False,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Two letters, e.g. LV."))],
    )

    def __init__(self, data, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        self.fields["team"].queryset = scope.teams.order_by("name")
        if scope.own_only:
            del self.fields["team"]

    def clean_country(self):
        return self.cleaned_data["country"].upper()

    def clean_product(self):
        return self.cleaned_data["product"].strip()

    def clean(self):
        data = super().clean()
        preset = data.get("period") or DEFAULT_PRESET
        data["period"] = preset
        if preset != Preset.CUSTOM:
            data["span"] = period_for(preset)
            return data
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            raise forms.ValidationError(_("A custom period needs both dates."))
        if end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if start < datetime.date(2000, 1, 1) or end > datetime.date(2999, 12, 31):
            raise forms.ValidationError(_("Choose dates from the year 2000 on."))
        if end - start > LONGEST:
            raise forms.ValidationError(_("Choose a period of at most three years."))
        data["span"] = period_for(preset, first_day=start, last_day=end)
        return data


class ResponseListForm(DashboardForm):
    band = forms.ChoiceField(label=_("Band"), choices=[("", _("Any band")), *Band.choices], required=False)


class AnnouncementForm(forms.Form):
    """"You said, we did": which complaints (a root-cause tag, when the cases were opened, a product)
    and the one message, with the composer's placeholders."""

    tag = forms.ModelChoiceField(label=_("Root-cause tag"), queryset=None)
    first_day = forms.DateField(label=_("Cases opened from"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Cases opened until"), widget=forms.DateInput(attrs={"type": "date"}))
    product = forms.CharField(label=_("Product"), max_length=100, required=False)
    locale = forms.ChoiceField(label=_("Language"), choices=[])
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    close_resolved = forms.BooleanField(label=_("Close the cases that are resolved"), required=False)
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, scope, **kwargs):
        from django.conf import settings

        from casework.cases.models import Tag

        super().__init__(*args, **kwargs)
        # Only tags on cases the user may see: another team's tag names say what it works on.
        self.fields["tag"].queryset = Tag.objects.filter(pk__in=scope.cases.values("tags")).order_by("name")
        self.fields["locale"].choices = settings.LANGUAGES

    def clean_subject(self):
        from casework.outreach.sending import is_one_line

        subject = self.cleaned_data["subject"].strip()
        if not is_one_line(subject):
            raise forms.ValidationError(_("The subject must be one line."))
        return subject

    def clean(self):
        from casework.outreach.templating import check_placeholders

        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                raise forms.ValidationError(_("The period ends before it starts."))
            if first < datetime.date(2000, 1, 1) or last > datetime.date(2999, 12, 31):
                raise forms.ValidationError(_("Choose dates from the year 2000 on."))
            data["span"] = period_for(Preset.CUSTOM, first_day=first, last_day=last)
        check_placeholders(subject=data.get("subject", ""), body=data.get("body", ""))
        return data
