"""The answers no row of the table produces: static files served by whitenoise, the error pages
(404, 500, 400 for a bad filter), the admin's pages — each with the security headers."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from casework.urls import urlpatterns as app_urls

from .checks import assert_secure

pytestmark = pytest.mark.django_db


def crash(request):
    raise RuntimeError("an unexpected error")


urlpatterns = [path("crash/", crash), *app_urls]


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
@pytest.mark.parametrize("file", ["css/casework.css", "js/casework.js", "favicon.svg"])
def test_static_files(file):
    response = Client().get(f"/static/{file}")  # a new client loads the middleware with these settings
    assert response.status_code == 200
    assert_secure(response, f"/static/{file}")


def test_error_pages(world, client):
    client.force_login(world.user("janis"))
    assert_secure(client.get("/no-such-page/"), "404")
    assert_secure(client.get("/cases/?created_after=0001-01-01"), "400")
    with override_settings(ROOT_URLCONF=__name__):
        crashing = Client(raise_request_exception=False)
        crashing.force_login(world.user("janis"))
        response = crashing.get("/crash/")
    assert response.status_code == 500
    assert_secure(response, "500")


@pytest.mark.parametrize("url", ["/admin/", "/admin/cases/case/", "/admin/feedback/respondent/", "/admin/login/"])
def test_admin_pages(world, client, url):
    assert_secure(client.get(url), f"anonymous {url}")
    client.force_login(world.user("admin"))
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert_secure(response, url)
