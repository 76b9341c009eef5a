from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "casework.privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # Outreach sits a layer below and cannot call the requests log; it announces an objection made
        # through the opt-out link, and the log records it as a handled request.
        from casework.outreach.optout import objection_received

        from .requestlog import record_opt_out

        objection_received.connect(record_opt_out, dispatch_uid="privacy.record_opt_out")
