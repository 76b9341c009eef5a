"""The case page's actions through the browser's two paths: htmx (the changed part comes back) and
a plain form POST (redirect back to the page)."""

import pytest
from django.urls import reverse

from casework.cases.models import Case, Contact, Event

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def post(client, case, name, prefix, htmx=True, **data):
    payload = {f"{prefix}-{key}": value for key, value in data.items()}
    payload.setdefault(f"{prefix}-version", Case.objects.get(pk=case.pk).version)
    return client.post(reverse(name, args=[case.reference]), payload, headers=HTMX if htmx else {})


def test_claim_with_htmx_returns_the_updated_part(client, janis, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    response = post(client, case, "cases:claim", "claim")
    assert response.status_code == 200
    assert 'id="case-work"' in response.text and "<html" not in response.text
    assert "The case is yours." in response.text and "Jānis Ozols" in response.text
    assert Case.objects.get(pk=case.pk).assignee == janis


def test_claim_without_javascript_redirects_back(client, janis, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    response = post(client, case, "cases:claim", "claim", htmx=False)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert "The case is yours." in client.get(response["Location"]).text


def test_log_a_contact_then_wait_and_resume(client, janis, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    post(client, case, "cases:status", "status", to="in_progress")
    response = post(client, case, "cases:log-contact", "contact", channel="phone", direction="outbound", outcome="reached", summary="Called <Anna>")
    assert response.status_code == 200
    assert "Called &lt;Anna&gt;" in response.text
    post(client, case, "cases:status", "status", to="waiting")
    post(client, case, "cases:status", "status", to="in_progress")
    case.refresh_from_db()
    assert case.status == "in_progress" and case.first_contacted_at is not None
    assert Contact.objects.get().summary == "Called <Anna>"
    assert list(case.events.filter(kind="status").values_list("data__to", flat=True)) == ["in_progress", "waiting", "in_progress"]


def test_only_valid_next_states_are_offered(client, janis, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    page = client.get(case.get_absolute_url()).text
    options = page.split('name="status-to"')[1].split("</select>")[0]
    assert 'value="in_progress"' in options and 'value="closed"' not in options and 'value="resolved"' not in options


def test_an_invalid_choice_is_422_and_changes_nothing(client, janis, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    response = post(client, case, "cases:status", "status", to="closed")
    assert response.status_code == 422
    assert "Please correct the marked fields." in response.text
    assert Case.objects.get(pk=case.pk).status == "new"
    assert post(client, case, "cases:status", "status", htmx=False, to="closed").status_code == 422


def test_a_refused_change_says_why(client, janis, payroll, make_case):
    case = make_case(team=payroll)
    Case.objects.filter(pk=case.pk).update(status="resolved")
    client.force_login(janis)
    response = post(client, case, "cases:status", "status", to="closed", reason="")
    assert response.status_code == 422
    assert "Send the closing e-mail first" in response.text


def test_two_people_at_once_the_second_gets_409_and_the_current_case(client, janis, maija, payroll, make_case):
    case = make_case(team=payroll)
    seen = case.version
    client.force_login(maija)
    assert client.post(reverse("cases:add-note", args=[case.reference]), {"note-text": "first", "note-version": seen}, headers=HTMX).status_code == 200
    client.force_login(janis)
    response = client.post(reverse("cases:add-note", args=[case.reference]), {"note-text": "second", "note-version": seen}, headers=HTMX)
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert "first" in response.text  # the case as it is now
    assert list(Event.objects.filter(kind="note").values_list("data__text", flat=True)) == ["first"]
    plain = client.post(reverse("cases:add-note", args=[case.reference]), {"note-text": "second", "note-version": seen})
    assert plain.status_code == 409


def test_a_missing_version_is_400(client, janis, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    response = client.post(reverse("cases:add-note", args=[case.reference]), {"note-text": "x"}, headers=HTMX)
    assert response.status_code == 400


def test_tags_action_summary_and_sharing(client, janis, anna, payroll, make_case):
    case = make_case(team=payroll)
    client.force_login(janis)
    post(client, case, "cases:record-action", "action", action_summary="Released a fix", tags="export, bank, export")
    assert sorted(case.tags.values_list("name", flat=True)) == ["bank", "export"]
    post(client, case, "cases:share", "share", colleague=anna.pk)
    client.force_login(anna)
    assert client.get(case.get_absolute_url()).status_code == 200


def test_untrusted_text_is_text_and_a_javascript_url_is_never_a_link(client, janis, payroll, make_case):
    from casework.feedback.models import Respondent

    case = make_case(team=payroll, comment='<img src=x onerror="alert(1)">', page_url="https://app.example.com/x")
    Respondent.objects.filter(pk=case.respondent_id).update(name='<script>alert("n")</script>', company="A & B")
    case.response.__class__.objects.filter(pk=case.response_id).update(page_url="javascript:alert(1)")
    client.force_login(janis)
    for url in (case.get_absolute_url(), reverse("cases:list")):
        page = client.get(url).text
        assert "<img src=x" not in page and '<script>alert("n")' not in page
        assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(&quot;n&quot;)&lt;/script&gt;" in client.get(case.get_absolute_url()).text
