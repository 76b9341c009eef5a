from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "casework.outreach"
    verbose_name = _("Outreach")

    def ready(self):
        from . import sending, tasks

        sending.register_courier(tasks.enqueue_delivery)
