from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("teams/", views.team_overview, name="teams"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
