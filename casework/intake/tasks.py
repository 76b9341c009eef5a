from django.tasks import task

from . import importing


@task
def run_import(import_id: int) -> None:
    importing.run_import(import_id)
