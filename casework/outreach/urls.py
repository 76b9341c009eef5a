from django.urls import path

from . import inbound_api, views

app_name = "outreach"
urlpatterns = [
    path("cases/<str:reference>/compose/", views.compose, name="compose"),
    path("outbox/failed/", views.failed_notifications, name="failed"),
    path("outbox/<int:pk>/retry/", views.retry_notification, name="retry"),
    path("optout/<str:token>/", views.optout, name="optout"),
    path("api/v1/inbound-email", inbound_api.post_inbound_email, name="api-inbound-email"),
]
