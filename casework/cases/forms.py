"""Forms for the case page's actions: validation only; the workflow makes the change. Each carries
the case version the person saw, so that a change made meanwhile by someone else is refused."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access
from .lifecycle import REASONS_WITHOUT_NOTIFICATION, CloseReason, Status
from .models import Contact, is_plain_tag

MAX_TEXT = 5000


class CaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, case, user, **kwargs):
        self.case, self.user = case, user
        kwargs.setdefault("initial", {})["version"] = case.version
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)

    prefix_name = None


class ClaimForm(CaseForm):
    prefix_name = "claim"


class AssignForm(CaseForm):
    prefix_name = "assign"
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Nobody (team queue)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = get_user_model().objects.filter(memberships__team=self.case.team, is_active=True).order_by("first_name", "username")
        field.label_from_instance = lambda person: person.get_full_name() or person.get_username()
        field.initial = self.case.assignee_id


class StatusForm(CaseForm):
    prefix_name = "status"
    to = forms.ChoiceField(label=_("Move to"))
    reason = forms.ChoiceField(label=_("Reason for closing"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [
            (status, status.label) for status in Status if access.may_move_to(self.user, self.case, status)
        ]
        self.fields["reason"].choices = [("", _("Closing e-mail sent"))] + [
            (reason, CloseReason(reason).label) for reason in CloseReason if reason in REASONS_WITHOUT_NOTIFICATION
        ]


class ContactForm(CaseForm):
    prefix_name = "contact"
    channel = forms.ChoiceField(label=_("Channel"), choices=Contact.Channel.choices, initial=Contact.Channel.PHONE)
    direction = forms.ChoiceField(label=_("Direction"), choices=Contact.Direction.choices)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Contact.Outcome.choices)
    contacted_at = forms.DateTimeField(
        label=_("When"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    summary = forms.CharField(label=_("Summary"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_contacted_at(self):
        moment = self.cleaned_data["contacted_at"]
        if moment and moment > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("A contact cannot be in the future."))
        if moment and moment < self.case.created_at - datetime.timedelta(days=1):
            raise forms.ValidationError(_("This is before the case was opened."))
        return moment


class NoteForm(CaseForm):
    prefix_name = "note"
    text = forms.CharField(label=_("Note"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(CaseForm):
    prefix_name = "action"
    action_summary = forms.CharField(
        label=_("What we did"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.CharField(label=_("Root-cause tags"), required=False, max_length=500, help_text=_("Comma-separated."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_summary"].initial = self.case.action_summary
        self.fields["tags"].initial = ", ".join(tag.name for tag in self.case.tags.all())

    def clean_tags(self):
        names = [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]
        if not all(is_plain_tag(name) for name in names):
            raise forms.ValidationError(_("A tag has at most 60 characters, on one line without control characters."))
        return list(dict.fromkeys(names))


class ShareForm(CaseForm):
    prefix_name = "share"
    colleague = forms.ModelChoiceField(label=_("Share with"), queryset=get_user_model().objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["colleague"]
        field.queryset = (
            get_user_model().objects.filter(is_active=True).exclude(memberships__team=self.case.team).order_by("first_name", "username")
        )
        field.label_from_instance = lambda person: person.get_full_name() or person.get_username()
