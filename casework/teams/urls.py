from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [path("preferences/", views.preferences, name="preferences")]
