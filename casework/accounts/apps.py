from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "casework.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models import fields

        # Django 6.1's empty choice of a select ("- Select an option -") has no Latvian of its own yet;
        # Django reads it from here (its own note says an app's ready() may set it).
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")

        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from .idle import start_the_clock
        from .sessions import end_sessions_of_deactivated

        # Django's own User model: a signal is the one hook every code path that saves it passes.
        pre_save.connect(end_sessions_of_deactivated, sender=get_user_model(), dispatch_uid="casework-end-sessions")
        user_logged_in.connect(start_the_clock, dispatch_uid="casework-idle-clock")
