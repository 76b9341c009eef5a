from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "casework.integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from casework.cases import workflow
        from casework.intake import api

        from . import delivery, outbox, readapi, tasks

        api.register_reader(readapi.list_responses)
        workflow.register_event_observer(outbox.queue_deliveries)
        delivery.register_courier(tasks.enqueue_chain)
