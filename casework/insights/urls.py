from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("teams/", views.team_overview, name="teams"),
    path("teams/members/<int:pk>/", views.member_availability, name="member"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
