from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_home, name="home"),
    path("requests/", views.request_log, name="requests"),
    path("requests/<int:pk>/extend/", views.extend_request, name="extend"),
    path("requests/<int:pk>/refuse/", views.refuse_request, name="refuse"),
    path("respondents/<int:pk>/", views.respondent_detail, name="respondent"),
    path("respondents/<int:pk>/requests/", views.log_request, name="log-request"),
    path("respondents/<int:pk>/export/", views.export_data, name="export"),
    path("respondents/<int:pk>/rectify/", views.rectify, name="rectify"),
    path("respondents/<int:pk>/restrict/", views.restrict, name="restrict"),
    path("respondents/<int:pk>/lift-restriction/", views.lift_restriction, name="lift-restriction"),
    path("respondents/<int:pk>/object/", views.object_to_contact, name="object"),
    path("respondents/<int:pk>/erase/", views.erase, name="erase"),
]
