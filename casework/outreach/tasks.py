from django.tasks import task

from casework.logs import carries_request_id, current_request_id

from . import sending


@task
@carries_request_id
def deliver_notification(notification_id: int) -> str:
    return sending.deliver(notification_id)


def enqueue_delivery(notification_id: int, run_after=None) -> None:
    """Hands a notification to a worker now, or at `run_after` where the task backend can defer;
    where it cannot, the outbox sweep (`send_due`) picks the retry up when it is due."""
    delivery = deliver_notification
    if run_after is not None:
        if not delivery.get_backend().supports_defer:
            return
        delivery = delivery.using(run_after=run_after)
    delivery.enqueue(notification_id, request_id=current_request_id())
