"""The composer on the case page."""

import pytest
from django.urls import reverse

from casework.cases.models import Case
from casework.outreach.models import Notification

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_the_respondents_language_is_preselected_and_filled_in(client, janis, resolved_case):
    client.force_login(janis)
    page = client.get(reverse("outreach:compose", args=[resolved_case.reference]), headers=HTMX).text
    assert 'id="composer"' in page and "<html" not in page
    assert "Labdien, Anna!" in page and "We released a fix." in page and "Jānis Ozols" in page
    assert 'value="lv" selected' in page


def test_preview_shows_the_edited_text_escaped(client, janis, resolved_case):
    client.force_login(janis)
    data = {"action": "preview", "locale": "en", "subject": "About <b>payslips</b>", "body": "Hi Anna,\n<script>x</script> fixed."}
    page = client.post(reverse("outreach:compose", args=[resolved_case.reference]), data, headers=HTMX).text
    assert "About &lt;b&gt;payslips&lt;/b&gt;" in page and "&lt;script&gt;x&lt;/script&gt; fixed." in page
    assert not Notification.objects.exists()


def test_send_queues_closes_the_case_and_reloads_the_page(client, janis, resolved_case, smtp, django_capture_on_commit_callbacks):
    client.force_login(janis)
    data = {"action": "send", "locale": "lv", "subject": "Paldies", "body": "Labdien, Anna! Salabojām.", "version": resolved_case.version}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outreach:compose", args=[resolved_case.reference]), data, headers=HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == resolved_case.get_absolute_url()
    assert Notification.objects.get().status == "sent"
    assert Case.objects.get(pk=resolved_case.pk).status == "closed"
    page = client.get(resolved_case.get_absolute_url()).text
    assert "The closing e-mail is on its way." in page and "Paldies" in page


@pytest.mark.parametrize(("data", "field"), [({"subject": ""}, "subject"), ({"body": ""}, "body"), ({"locale": "xx"}, "locale")])
def test_incomplete_input_is_refused_where_it_was_typed(client, janis, resolved_case, data, field):
    client.force_login(janis)
    payload = {"action": "send", "locale": "en", "subject": "Thanks", "body": "We fixed it", "version": resolved_case.version, **data}
    response = client.post(reverse("outreach:compose", args=[resolved_case.reference]), payload, headers=HTMX)
    assert response.status_code == 422
    assert not Notification.objects.exists()


def test_without_javascript_the_composer_is_a_page(client, janis, resolved_case):
    client.force_login(janis)
    page = client.get(reverse("outreach:compose", args=[resolved_case.reference])).text
    assert "<html" in page and "Send and close the case" in page
    assert reverse("outreach:compose", args=[resolved_case.reference]) in client.get(resolved_case.get_absolute_url()).text


@pytest.mark.parametrize("subject", ["Your invoices\u2028are fixed", "Line\x0bbreak", "Next\x85line"])
def test_a_subject_with_any_kind_of_line_break_is_refused(client, janis, resolved_case, subject):
    client.force_login(janis)
    data = {"action": "send", "locale": "en", "subject": subject, "body": "We fixed it", "version": resolved_case.version}
    response = client.post(reverse("outreach:compose", args=[resolved_case.reference]), data, headers=HTMX)
    assert response.status_code == 422 and "one line" in response.text
    assert not Notification.objects.exists() and Case.objects.get(pk=resolved_case.pk).status == "resolved"


def test_a_change_meanwhile_is_a_409_and_nothing_is_sent(client, janis, resolved_case):
    client.force_login(janis)
    seen = resolved_case.version
    Case.objects.filter(pk=resolved_case.pk).update(version=seen + 1, action_summary="Changed meanwhile")
    data = {"action": "send", "locale": "en", "subject": "Thanks", "body": "We fixed it", "version": seen}
    response = client.post(reverse("outreach:compose", args=[resolved_case.reference]), data, headers=HTMX)
    assert response.status_code == 409 and "changed by someone else" in response.text
    assert not Notification.objects.exists()


def test_a_suppressed_send_says_so_and_leaves_the_case_open(client, janis, resolved_case, django_capture_on_commit_callbacks):
    from django.utils import timezone

    resolved_case.respondent.__class__.objects.filter(pk=resolved_case.respondent_id).update(objected_at=timezone.now())
    client.force_login(janis)
    data = {"action": "send", "locale": "en", "subject": "Thanks", "body": "We fixed it", "version": resolved_case.version}
    client.post(reverse("outreach:compose", args=[resolved_case.reference]), data)
    page = client.get(resolved_case.get_absolute_url()).text
    assert "Nothing was sent" in page and "objected" in page
    assert Case.objects.get(pk=resolved_case.pk).status == "resolved"


def test_a_non_numeric_template_choice_is_harmless(client, janis, resolved_case):
    client.force_login(janis)
    response = client.post(reverse("outreach:compose", args=[resolved_case.reference]), {"action": "load", "template": "abc"}, headers=HTMX)
    assert response.status_code == 200
