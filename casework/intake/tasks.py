from django.tasks import task

from . import deliveries, importing


@task
def run_import(import_id: int) -> None:
    importing.run_import(import_id)


def enqueue_import(import_id: int) -> None:
    run_import.enqueue(import_id)


@task
def process_delivery_task(delivery_id: int) -> None:
    deliveries.process_delivery(delivery_id)


def enqueue_delivery(delivery_id: int) -> None:
    process_delivery_task.enqueue(delivery_id)
