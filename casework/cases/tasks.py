from django.tasks import task

from .escalation import escalate_overdue


@task
def escalate_overdue_cases() -> int:
    return escalate_overdue()
