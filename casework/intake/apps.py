from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "casework.intake"
    verbose_name = _("Intake")

    def ready(self):
        from . import deliveries, importing, tasks

        importing.register_runner(tasks.enqueue_import)
        deliveries.register_processor(tasks.enqueue_delivery)
