from django.tasks import task

from . import importing


@task
def run_import(import_id: int) -> None:
    importing.run_import(import_id)


def enqueue_import(import_id: int) -> None:
    run_import.enqueue(import_id)
