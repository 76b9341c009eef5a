from django.urls import path

from . import api, views, webhooks

app_name = "intake"
urlpatterns = [
    path("api/v1/responses", api.responses_endpoint, name="api-responses"),
    path("api/v1/webhooks/<slug:slug>", webhooks.post_webhook, name="api-webhook"),
    path("import/", views.import_home, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import-detail"),
    path("import/<int:pk>/start/", views.import_start, name="import-start"),
    path("import/<int:pk>/problems.csv", views.import_problems_csv, name="import-problems"),
]
