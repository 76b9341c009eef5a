"""What the base layout needs on every page: the navigation the user's rights allow."""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from casework.cases.access import teams_user_manages, teams_user_works, visible_cases
from casework.cases.models import Notice
from casework.teams.roles import is_privacy_officer


def _navigation(request):
    user = request.user
    if not user.is_authenticated:
        return []
    items = [("cases:mine", _("My cases")), ("cases:list", _("All cases"))]
    manages = teams_user_manages(user).exists()
    if manages:
        items.append(("insights:teams", _("Teams")))
    if manages or user.is_superuser or teams_user_works(user).exists():
        items.append(("insights:dashboard", _("Dashboard")))
    if manages or user.is_superuser:
        items.append(("intake:import", _("Import")))
        items.append(("outreach:failed", _("Failed e-mails")))
    if is_privacy_officer(user):
        items.append(("privacy:home", _("Privacy")))
    nav = [{"url": reverse(name), "label": label, "name": name} for name, label in items]
    unread = Notice.objects.filter(user=user, read_at__isnull=True, case__in=visible_cases(user)).count()
    if unread:
        nav.append({"url": reverse("cases:notices"), "label": _("Notices (%(count)d)") % {"count": unread}, "name": "cases:notices"})
    if user.is_staff:
        nav.append({"url": reverse("admin:index"), "label": _("Admin"), "name": "admin"})
    current = request.resolver_match.view_name if request.resolver_match else ""
    for item in nav:
        item["current"] = item["name"] == current
    return nav


def navigation(request):
    return {"navigation": SimpleLazyObject(lambda: _navigation(request)), "company_name": settings.CASEWORK_COMPANY_NAME}
