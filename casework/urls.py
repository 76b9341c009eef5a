from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from casework.accounts.forms import AdminLoginForm, LoginForm
from casework.health import healthz

urlpatterns = [
    path("", include("casework.cases.urls")),
    path("", include("casework.insights.urls")),
    path("", include("casework.intake.urls")),
    path("", include("casework.integrations.urls")),
    path("", include("casework.outreach.urls")),
    path("privacy/", include("casework.privacy.urls")),
    path("", include("casework.teams.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Switching language must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

admin.site.login_form = AdminLoginForm
admin.site.site_header = "Casework"
admin.site.site_title = "Casework"
