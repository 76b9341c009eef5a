"""Rectification, restriction and objection, and that nobody is e-mailed who must not be."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.cases import bulk, workflow
from casework.cases.escalation import escalate_overdue
from casework.cases.models import Case, Event
from casework.feedback.models import Respondent
from casework.outreach import sending
from casework.outreach.models import Notification
from casework.outreach.optout import optout_url
from casework.privacy import erasure, rights
from casework.privacy.models import PrivacyRequest
from casework.privacy.requestlog import RequestError
from tests.outreach.conftest import smtp  # noqa: F401 - a real SMTP server for the e-mail tests

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_case(make_case, payroll, janis):
    case = make_case(team=payroll, comment="Payslips are slow")
    respondent = case.respondent
    respondent.name, respondent.email, respondent.locale = "Anna Bērziņa", "anna@example.com", "lv"
    respondent.save()
    workflow.claim_case(case=case, actor=janis)  # claiming a new case starts it
    Case.objects.filter(pk=case.pk).update(action_summary="We sped up the payslips.")
    case.refresh_from_db()
    return case


def queued_notification(case, user):
    """A closing e-mail written but not delivered yet (its task runs only after commit)."""
    return sending.queue_closing_notification(case=case, actor=user, subject="We fixed it", body="Thanks", locale="lv")


# Rectification


def test_rectify_corrects_every_copy_and_records_only_field_names(open_case, janis, dace):
    notification = queued_notification(open_case, janis)
    request = rights.rectify(
        respondent=open_case.respondent, actor=dace, changes={"name": "Anna Ozola", "email": "anna.ozola@example.com", "company": "", "country": "LV"}
    )
    respondent = Respondent.objects.get(pk=open_case.respondent_id)
    assert (respondent.name, respondent.email, respondent.email_key) == ("Anna Ozola", "anna.ozola@example.com", "anna.ozola@example.com")
    assert "ozola" in respondent.search_key
    notification.refresh_from_db()
    assert notification.recipient == "anna.ozola@example.com"  # the queued e-mail goes to the corrected address
    assert sending.build_message(Notification.objects.select_related("respondent", "created_by").get(pk=notification.pk)).to == ["Anna Ozola <anna.ozola@example.com>"]
    event = Event.objects.get(case=open_case, kind="privacy")
    assert event.data == {"action": "rectified", "fields": ["email", "name"]} and event.actor == dace
    assert (request.kind, request.status, request.fields, request.handled_by) == ("rectification", "done", ["email", "name"], dace)
    assert "Bērziņa" not in str(event.data) + request.note + str(request.fields)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "Anna\r\nBcc: spy@example.com"}, "name", "one line"),
        ({"name": "=?utf-8?q?Anna?="}, "name", "encoded word"),
        ({"email": "not an address"}, "email", "valid e-mail"),
        ({"country": "XX"}, "country", "ISO 3166-1"),
        ({"locale": "latvian please"}, "locale", "language tag"),
    ],
)
def test_rectify_refuses_what_intake_refuses(open_case, dace, changes, field, message):
    with pytest.raises(rights.RectificationRefused) as refused:
        rights.rectify(respondent=open_case.respondent, actor=dace, changes=changes)
    assert message in refused.value.errors[field]
    assert Respondent.objects.get(pk=open_case.respondent_id).name == "Anna Bērziņa"
    assert not PrivacyRequest.objects.exists()


def test_rectify_cannot_take_another_persons_address_or_change_nothing(open_case, make_response, dace):
    other = make_response().respondent
    with pytest.raises(rights.RectificationRefused, match="Another respondent"):
        rights.rectify(respondent=open_case.respondent, actor=dace, changes={"email": other.email.upper()})
    with pytest.raises(RequestError, match="Nothing to correct"):
        rights.rectify(respondent=open_case.respondent, actor=dace, changes={"name": "Anna Bērziņa"})


def test_the_desk_shows_rectification_errors_beside_the_field(client, open_case, dace):
    client.force_login(dace)
    response = client.post(reverse("privacy:rectify", args=[open_case.respondent_id]), {"rectify-name": "Anna", "rectify-country": "XX"})
    assert response.status_code == 422 and "Must be an ISO 3166-1 alpha-2 country code" in response.text


# Restriction


def test_while_restricted_the_workflow_refuses_every_change(client, open_case, janis, maija, dace, make_user):
    rights.restrict(respondent=open_case.respondent, actor=dace)
    case = Case.objects.get(pk=open_case.pk)
    version = case.version
    changes = [
        lambda: workflow.change_status(case=case, to="waiting", actor=janis),
        lambda: workflow.assign_case(case=case, assignee=maija, actor=maija),
        lambda: workflow.log_contact(case=case, actor=janis, channel="phone", direction="outbound", outcome="reached"),
        lambda: workflow.add_note(case=case, actor=janis, text="still working"),
        lambda: workflow.record_action(case=case, actor=janis, action_summary="x", tags=["y"]),
        lambda: workflow.share_case(case=case, actor=janis, colleague=make_user("outsider")),
        lambda: workflow.add_tag(case=case, actor=janis, name="z"),
        lambda: workflow.escalate_case(case=case, what="first_contact"),
        lambda: queued_notification(case, janis),
    ]
    for change in changes:
        with pytest.raises(workflow.ProcessingRestricted, match="restricted processing"):
            change()
    with pytest.raises(bulk.BulkRefused, match="restricted processing"):
        bulk.apply(user=maija, references=[case.reference], action="tag", value="x")
    assert Case.objects.get(pk=case.pk).version == version
    assert not Notification.objects.exists() and not case.contacts.exists()
    assert list(case.events.filter(kind__in=["note", "contact", "tags"])) == []


def test_a_staff_members_case_page_shows_the_restriction_and_refuses_a_change(client, open_case, janis, dace):
    rights.restrict(respondent=open_case.respondent, actor=dace)
    client.force_login(janis)
    page = client.get(open_case.get_absolute_url()).text
    assert "this case is frozen" in page
    response = client.post(reverse("cases:add-note", args=[open_case.reference]), {"note-version": open_case.version, "note-text": "hello"})
    assert response.status_code == 422 and "restricted processing" in response.text
    assert not open_case.events.filter(kind="note").exists()


def test_restricted_cases_leave_the_queues_and_counts(client, open_case, janis, maija, dace, payroll):
    Case.objects.filter(pk=open_case.pk).update(first_contact_due_at=timezone.now() - datetime.timedelta(hours=3))
    rights.restrict(respondent=open_case.respondent, actor=dace)
    client.force_login(janis)
    assert open_case.reference not in client.get(reverse("cases:mine")).text
    client.force_login(maija)
    assert open_case.reference not in client.get(reverse("cases:team-queue", args=[payroll.slug])).text
    overview = client.get(reverse("insights:teams"))
    assert [team.open_count for team in overview.context["teams"]] == [0]
    assert escalate_overdue() == 0
    assert open_case.reference in client.get(reverse("cases:list")).text  # still findable, not worked


def test_lifting_a_restriction_is_explicit_and_recorded(open_case, janis, dace):
    rights.restrict(respondent=open_case.respondent, actor=dace)
    with pytest.raises(RequestError, match="already"):
        rights.restrict(respondent=open_case.respondent, actor=dace)
    with pytest.raises(RequestError, match="why"):
        rights.lift_restriction(respondent=open_case.respondent, actor=dace, reason="")
    record = rights.lift_restriction(respondent=open_case.respondent, actor=dace, reason="Accuracy confirmed with the person")
    assert (record.kind, record.action, record.note, record.handled_by) == ("restriction", "lifted", "Accuracy confirmed with the person", dace)
    assert [event.data["action"] for event in open_case.events.filter(kind="privacy")] == ["restricted", "restriction_lifted"]
    workflow.add_note(case=Case.objects.get(pk=open_case.pk), actor=janis, text="back to work")


# Objection


def test_an_objection_from_the_desk_is_the_same_state_as_the_opt_out_link(open_case, janis, dace, make_case, payroll):
    other = make_case(team=payroll)
    second = make_case(team=payroll, product="Payroll mobile", respondent=open_case.respondent)
    workflow.claim_case(case=second, actor=janis)
    Case.objects.filter(pk=second.pk).update(action_summary="Fixed.")
    second.refresh_from_db()
    desk_note = queued_notification(second, janis)  # written, not sent yet; it closes that case
    rights.object_to_contact(respondent=open_case.respondent, actor=dace)
    Client().post(optout_url(other.respondent).split("8000", 1)[1])
    by_desk, by_link = (Respondent.objects.get(pk=case.respondent_id) for case in (open_case, other))
    assert by_desk.objected_at and by_link.objected_at and by_desk.is_frozen and by_link.is_frozen
    desk_note.refresh_from_db()
    assert desk_note.status == "suppressed" and "objected" in desk_note.suppressed_reason
    for case, actor in ((open_case, dace), (other, None)):
        event = case.events.get(kind="privacy")
        assert event.data["action"] == "objected" and event.actor == actor
    assert sorted(PrivacyRequest.objects.values_list("channel", flat=True)) == ["desk", "opt-out"]


# Never e-mailed


@pytest.mark.parametrize("act", ["restrict", "object", "erase"])
def test_never_e_mailed_while_restricted_objected_or_erased(smtp, open_case, janis, dace, act):  # noqa: F811
    notification = queued_notification(open_case, janis)
    respondent = open_case.respondent
    if act == "restrict":
        rights.restrict(respondent=respondent, actor=dace)
    elif act == "object":
        rights.object_to_contact(respondent=respondent, actor=dace)
    else:
        erasure.erase_respondent(respondent=respondent, actor=dace, confirm=respondent.email)
    # Even a notification put back in the queue by hand is stopped at the moment of sending.
    Notification.objects.filter(pk=notification.pk).update(status="queued", next_attempt_at=timezone.now())
    assert sending.send_due() == {"suppressed": 1}
    assert smtp.envelopes == []
    assert Notification.objects.get(pk=notification.pk).status == "suppressed"
