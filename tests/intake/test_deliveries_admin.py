"""The Deliveries page in the admin: what arrived, what became of it, and a retry for what failed."""

import pytest

from casework.feedback.models import FieldMapping, Response
from casework.intake.models import Delivery

from . import payloads

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(webhook, make_source, routes):
    source = make_source("formbricks", default_product="Payroll")
    webhook(source, payloads.formbricks(data={"nps": 3}), secret=source.secret)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    return delivery


def test_the_list_shows_source_status_and_error(client, admin_user, failed):
    client.force_login(admin_user)
    content = client.get("/admin/intake/delivery/").content.decode()
    assert "formbricks source" in content and "Failed" in content and "No score mapping" in content


def test_the_retry_button_processes_a_fixed_delivery(client, admin_user, failed, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    page = client.get(f"/admin/intake/delivery/{failed.pk}/change/").content.decode()
    assert f"/admin/intake/delivery/{failed.pk}/retry/" in page
    FieldMapping.objects.create(source=failed.source, key="nps", target="score", metric="nps")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/admin/intake/delivery/{failed.pk}/retry/")
    assert answer.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "processed" and Response.objects.get().score == 3
    assert "retry/" not in client.get(f"/admin/intake/delivery/{failed.pk}/change/").content.decode()


def test_staff_without_permission_cannot_see_or_retry(client, make_user, failed):
    clerk = make_user("clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get("/admin/intake/delivery/").status_code == 403
    assert client.post(f"/admin/intake/delivery/{failed.pk}/retry/").status_code == 403
    failed.refresh_from_db()
    assert failed.status == "failed"
