from django.urls import path

from . import announce_views, figure_views, views

app_name = "insights"
urlpatterns = [
    path("teams/", views.team_overview, name="teams"),
    path("teams/members/<int:pk>/", views.member_availability, name="member"),
    path("dashboard/", figure_views.dashboard, name="dashboard"),
    path("dashboard/responses/", figure_views.responses, name="responses"),
    path("dashboard/export.csv", figure_views.table_export, name="export"),
    path("dashboard/you-said-we-did/", announce_views.announce, name="announce"),
    path("cases/export.csv", figure_views.case_export, name="case-export"),
]
