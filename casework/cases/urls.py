from django.urls import path

from . import detail, views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="mine"),
    path("cases/", views.case_list, name="list"),
    path("cases/bulk/", views.bulk_action, name="bulk"),
    path("cases/<str:reference>/", detail.case_detail, name="detail"),
    path("cases/<str:reference>/claim/", detail.claim, name="claim"),
    path("cases/<str:reference>/assign/", detail.assign, name="assign"),
    path("cases/<str:reference>/status/", detail.change_status, name="status"),
    path("cases/<str:reference>/contacts/", detail.log_contact, name="log-contact"),
    path("cases/<str:reference>/notes/", detail.add_note, name="add-note"),
    path("cases/<str:reference>/action/", detail.record_action, name="record-action"),
    path("cases/<str:reference>/share/", detail.share, name="share"),
    path("teams/<slug:slug>/", views.team_queue, name="team-queue"),
    path("notices/", views.notices, name="notices"),
    path("notices/read/", views.read_notices, name="read-notices"),
]
