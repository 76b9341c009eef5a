from django.urls import path

from . import api

app_name = "intake"
urlpatterns = [
    path("api/v1/responses", api.post_responses, name="api-responses"),
]
