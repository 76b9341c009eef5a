from django.urls import path

from . import openapi, readapi

app_name = "integrations"
urlpatterns = [
    path("api/v1/cases", readapi.list_cases, name="api-cases"),
    path("api/v1/cases/<str:reference>", readapi.case_detail, name="api-case"),
    path("api/v1/openapi.json", openapi.openapi_json, name="openapi"),
]
