from django.tasks import task

from . import sending


@task
def deliver_notification(notification_id: int) -> str:
    return sending.deliver(notification_id)

