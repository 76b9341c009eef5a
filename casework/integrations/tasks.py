from django.tasks import task

from . import delivery


@task
def deliver_webhooks(endpoint_id: int, case_id: int) -> list[str]:
    return delivery.deliver_chain(endpoint_id, case_id)


def enqueue_chain(endpoint_id: int, case_id: int) -> None:
    """A worker sends one case's waiting deliveries to one endpoint; the sweep (`deliver_due`) does
    what a lost task or a retry leaves."""
    deliver_webhooks.enqueue(endpoint_id, case_id)
