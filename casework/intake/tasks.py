from django.tasks import task

from casework.logs import carries_request_id, current_request_id

from . import deliveries, importing


@task
@carries_request_id
def run_import(import_id: int) -> None:
    importing.run_import(import_id)


def enqueue_import(import_id: int) -> None:
    run_import.enqueue(import_id, request_id=current_request_id())


@task
@carries_request_id
def process_delivery_task(delivery_id: int) -> None:
    deliveries.process_delivery(delivery_id)


def enqueue_delivery(delivery_id: int) -> None:
    process_delivery_task.enqueue(delivery_id, request_id=current_request_id())
