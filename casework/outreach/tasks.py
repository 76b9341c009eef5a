from django.tasks import task

from . import sending


@task
def deliver_notification(notification_id: int) -> str:
    return sending.deliver(notification_id)


@task
def send_due_notifications() -> dict:
    return sending.send_due()


@task
def send_staff_mail(digest: bool = False) -> int:
    from .staffmail import send_assignment_emails, send_overdue_digests

    return send_assignment_emails() + (send_overdue_digests() if digest else 0)
