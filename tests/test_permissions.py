"""Nobody sees or touches another team's case through any URL, pages and partials alike.

Every URL of the app must be listed below under how its permission is tested; a new URL that is not
makes `test_every_url_has_a_permission_test` fail."""

import pytest
from django.urls import reverse

from casework.cases.models import Case, Event, Notice
from casework.teams.membership import add_member

from .test_private_by_default import APP_URLS, PUBLIC

pytestmark = pytest.mark.django_db

# URLs with a case number: another team's staff get 404, GET and POST, with and without htmx.
CASE_URLS = {
    "cases:detail", "cases:claim", "cases:assign", "cases:status", "cases:log-contact",
    "cases:add-note", "cases:record-action", "cases:share", "outreach:compose",
}
# Pages of one team's queue: only that team's managers.
TEAM_URLS = {"cases:team-queue"}
# One CSV import: its uploader and administrators only (tests/intake/test_csv_import.py too).
IMPORT_URLS = {"intake:import-detail", "intake:import-start", "intake:import-problems"}
# One notification of the outbox: managers of the case's team and administrators.
NOTIFICATION_URLS = {"outreach:retry"}
# The privacy desk: privacy officers and administrators only, 403 for everyone else on every page,
# action and download (test_privacy_urls_refuse_everyone_but_privacy_officers below).
PRIVACY_URLS = {
    "privacy:home", "privacy:requests", "privacy:extend", "privacy:refuse", "privacy:respondent", "privacy:log-request",
    "privacy:export", "privacy:rectify", "privacy:restrict", "privacy:lift-restriction", "privacy:object", "privacy:erase",
}
# One membership's away and takes-cases flags: managers of its team and administrators only
# (tests/insights/test_team_overview.py::test_who_must_not_change_a_members_flags, and below).
MEMBER_URLS = {"insights:member"}
# Lists, counts, bulk actions and role pages: each has its own test below.
SCOPED_URLS = {
    "cases:mine", "cases:list", "cases:bulk", "cases:notices", "cases:read-notices",
    "insights:teams", "insights:dashboard", "intake:import",
    # Figures, their answers and CSV exports: tests/insights/test_access.py (team A never sees team B).
    "insights:responses", "insights:export", "insights:case-export",
    "insights:announce",  # managers and administrators, their teams' cases only: tests/insights/test_announce.py
    "logout",  # ends only one's own session (tests/test_accounts.py)
    "outreach:failed",
    "teams:preferences",  # one's own preferences only
}


def test_every_url_has_a_permission_test():
    names = {name for name, _path in APP_URLS}
    listed = CASE_URLS | TEAM_URLS | IMPORT_URLS | NOTIFICATION_URLS | PRIVACY_URLS | MEMBER_URLS | SCOPED_URLS | PUBLIC
    assert names - listed == set(), "add the new URL to a permission test"
    assert listed - names == set(), "a listed URL no longer exists"


@pytest.fixture
def peter(make_user, accounting):
    user = make_user("peter")
    add_member(team=accounting, user=user, role="manager")
    return user


@pytest.fixture
def payroll_case(make_case, payroll, janis, maija):
    case = make_case(team=payroll, comment="Payroll secret comment")
    Notice.objects.create(user=maija, case=case, kind=Notice.Kind.OVERDUE_FIRST_CONTACT)
    return case


@pytest.mark.parametrize("name", sorted(CASE_URLS))
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_another_teams_case_is_not_found_on_every_case_url(client, name, method, htmx, payroll_case, anna, peter, janis):
    url = reverse(name, kwargs={"reference": payroll_case.reference})
    headers = {"HX-Request": "true"} if htmx else {}
    data = {f"{prefix}-version": payroll_case.version for prefix in ("claim", "assign", "status", "contact", "note", "action", "share")}
    data.update(action="send", subject="Hello", body="We fixed it", locale="en")
    events = Event.objects.count()
    for outsider in (anna, peter):
        client.force_login(outsider)
        response = getattr(client, method)(url, data, headers=headers) if method == "post" else client.get(url, headers=headers)
        assert response.status_code == 404, f"{outsider} got {response.status_code} from {url}"
        assert "Payroll secret comment" not in response.text
    assert Event.objects.count() == events
    client.force_login(janis)
    response = getattr(client, method)(url, data, headers=headers) if method == "post" else client.get(url, headers=headers)
    # The member gets the page, a 405 for GET on an action, and for the POST above exactly what the form
    # makes of that data: done (redirect, or the fragment for htmx) or 422 for the fields it lacks.
    assert response.status_code == MEMBER_ANSWERS[name, method, htmx]


PAGES = {"cases:detail", "outreach:compose"}
DONE_BY_THE_DATA_ABOVE = {"cases:claim", "cases:record-action"}
MEMBER_ANSWERS = {
    (name, method, htmx): (200 if name in PAGES else 405)
    if method == "get"
    else (200 if name == "cases:detail" else ((200 if htmx else 302) if name in DONE_BY_THE_DATA_ABOVE else 422))
    for name in CASE_URLS
    for method in ("get", "post")
    for htmx in (False, True)
}


def test_a_team_queue_is_for_that_teams_managers(client, payroll, payroll_case, janis, maija, peter):
    url = reverse("cases:team-queue", kwargs={"slug": payroll.slug})
    for outsider in (peter, janis):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    client.force_login(maija)
    assert payroll_case.reference in client.get(url).text


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_another_teams_member_is_not_found(client, method, htmx, janis, peter, anna):
    from casework.teams.models import Membership

    url = reverse("insights:member", kwargs={"pk": Membership.objects.get(user=janis).pk})
    headers = {"HX-Request": "true"} if htmx else {}
    client.force_login(peter)
    assert getattr(client, method)(url, {"is_away": "1"}, headers=headers).status_code == (404 if method == "post" else 405)
    client.force_login(anna)
    assert getattr(client, method)(url, {"is_away": "1"}, headers=headers).status_code == (403 if method == "post" else 405)
    assert not Membership.objects.get(user=janis).is_away


@pytest.mark.parametrize("name", ["cases:mine", "cases:list"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_lists_and_counts_show_only_visible_cases(client, name, htmx, payroll_case, anna, make_case, accounting):
    from casework.cases import workflow

    own = make_case(team=accounting, product="Accounting")
    workflow.claim_case(case=own, actor=anna)
    Case.objects.filter(pk=payroll_case.pk).update(assignee=None)
    client.force_login(anna)
    text = client.get(reverse(name), {"q": ""}, headers={"HX-Request": "true"} if htmx else {}).text
    assert own.reference in text and payroll_case.reference not in text
    assert "1 case" in text
    search = client.get(reverse("cases:list"), {"q": "secret"}).text
    assert payroll_case.reference not in search and "0 cases" in search


def test_bulk_actions_cannot_reach_invisible_cases(client, payroll_case, peter, make_case, accounting):
    own = make_case(team=accounting, product="Accounting")
    client.force_login(peter)
    response = client.post(
        reverse("cases:bulk"),
        {"cases": [own.reference, payroll_case.reference], "action": "tag", "tag_value": "x"},
        follow=True,
    )
    assert f"not found: {payroll_case.reference}" in response.text
    assert not own.tags.exists() and not payroll_case.tags.exists()


def test_notices_are_personal(client, payroll_case, maija, janis):
    client.force_login(janis)
    assert payroll_case.reference not in client.get(reverse("cases:notices")).text
    client.post(reverse("cases:read-notices"))
    assert Notice.objects.get().read_at is None
    client.force_login(maija)
    assert payroll_case.reference in client.get(reverse("cases:notices")).text
    assert "Notices (1)" in client.get(reverse("cases:list")).text


def test_role_pages(client, janis, maija, dace, peter, payroll_case):
    for name in ("insights:teams", "insights:dashboard", "intake:import"):
        client.force_login(janis)
        # Staff get a dashboard of their own cases' loop figures only (tests/insights/test_access.py).
        assert client.get(reverse(name)).status_code == (200 if name == "insights:dashboard" else 403)
        client.force_login(maija)
        assert client.get(reverse(name)).status_code == 200
    client.force_login(dace)
    assert client.get(reverse("insights:dashboard")).status_code == 403
    client.force_login(peter)
    assert "Payroll" not in client.get(reverse("insights:teams")).text
    client.force_login(janis)
    assert client.get(reverse("privacy:home")).status_code == 403
    client.force_login(dace)
    assert client.get(reverse("privacy:home")).status_code == 200


def test_import_pages_belong_to_their_uploader(client, maija, peter, source):
    from casework.intake.models import Import

    csv_import = Import.objects.create(source=source, uploaded_by=maija, file_name="a.csv", status="done")
    client.force_login(peter)
    for name in sorted(IMPORT_URLS):
        url = reverse(name, args=[csv_import.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    client.force_login(maija)
    assert client.get(reverse("intake:import-detail", args=[csv_import.pk])).status_code == 200


def test_failed_notifications_and_retry_are_for_the_cases_managers(client, payroll_case, maija, peter, janis):
    from django.utils import timezone

    from casework.outreach.models import Notification

    failed = Notification.objects.create(
        case=payroll_case, subject="Payroll secret subject", body="...", status="failed", attempts=5, queued_at=timezone.now()
    )
    client.force_login(peter)
    assert "Payroll secret subject" not in client.get(reverse("outreach:failed")).text
    for method in ("get", "post"):
        assert getattr(client, method)(reverse("outreach:retry", args=[failed.pk])).status_code == 404
    client.force_login(janis)
    assert client.get(reverse("outreach:failed")).status_code == 403
    client.force_login(maija)
    assert "Payroll secret subject" in client.get(reverse("outreach:failed")).text


@pytest.mark.parametrize("name", sorted(PRIVACY_URLS))
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_privacy_urls_refuse_everyone_but_privacy_officers(client, name, htmx, payroll_case, janis, maija, peter, dace, admin_user):
    from casework.feedback.models import Respondent
    from casework.privacy.models import PrivacyRequest
    from casework.privacy.requestlog import log_request

    respondent = payroll_case.respondent
    request = log_request(respondent=respondent, kind="erasure", actor=dace)
    pk = request.pk if name in ("privacy:extend", "privacy:refuse") else respondent.pk
    url = reverse(name, kwargs={"pk": pk}) if name not in ("privacy:home", "privacy:requests") else reverse(name)
    headers = {"HX-Request": "true"} if htmx else {}
    data = {
        "export-kind": "access", "rectify-name": "Changed", "lift-reason": "x", "erase-confirm": respondent.email,
        "log-kind": "access", "log-received_on": "2026-01-01", f"request-{request.pk}-reason": "x",
    }
    before = (Respondent.objects.filter(pk=respondent.pk).values().get(), list(PrivacyRequest.objects.values()))
    for outsider in (janis, maija, peter):
        client.force_login(outsider)
        for method in ("get", "post"):
            response = getattr(client, method)(url, data if method == "post" else None, headers=headers)
            assert response.status_code == 403, f"{outsider} got {response.status_code} from {method} {url}"
            assert respondent.email not in response.text and "Payroll secret comment" not in response.text
    assert (Respondent.objects.filter(pk=respondent.pk).values().get(), list(PrivacyRequest.objects.values())) == before
    for officer in (dace, admin_user):
        client.force_login(officer)
        assert client.get(url, headers=headers).status_code in (200, 405)
