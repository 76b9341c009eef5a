"""Access and portability: one JSON document with everything held, and nobody else's data."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from casework.privacy import export, rights
from casework.privacy.models import PrivacyRequest

pytestmark = pytest.mark.django_db


def test_the_export_holds_everything_supplied_and_derived(anna, bob, dace):
    document, request = export.export_respondent(respondent=anna.respondent, actor=dace, kind="portability")
    assert document["schema"] == "casework.respondent-export/1" and document["kind"] == "portability"
    assert document["respondent"]["email"] == anna.email and document["respondent"]["name"] == anna.name
    assert document["identities"] == [{"source": "In-app survey", "user_id": anna.user_id}]
    assert document["sources"] == ["In-app survey"]
    assert "3 calendar years" in json.dumps(document["retention"], ensure_ascii=False) or "3 kalendār" in json.dumps(document["retention"], ensure_ascii=False)
    assert document["purposes"]
    text = json.dumps(document, ensure_ascii=False)
    for written in anna.texts:
        assert written in text, written
    assert len(document["responses"]) == 3 and len(document["cases"]) == 2
    case = document["cases"][0]
    assert case["contacts"][0]["by"] == {"role": "staff", "team": "Payroll"}
    assert case["notes"][0]["text"].startswith(anna.name)
    assert {n["status"] for c in document["cases"] for n in c["notifications"]} == {"sent", "queued"}
    assert any(event["kind"] == "identity" and event["details"]["received"]["email"] for event in case["events"])
    assert (request.kind, request.action, request.status) == ("portability", "exported", "done")


def test_the_export_names_no_other_person(anna, bob, dace, janis, maija):
    text = json.dumps(export.build_export(anna.respondent), ensure_ascii=False)
    for other in [*bob.needles, "janis", "maija", "Jānis", "Ozols", "Maija", "Liepiņa", "dace", "Kalniņa"]:
        assert other not in text, other
    assigned = [e for c in json.loads(text)["cases"] for e in c["events"] if e["kind"] == "assigned"]
    assert assigned and all(event["details"]["to"]["role"] in ("staff", "manager") for event in assigned)


def test_a_restricted_person_can_still_have_their_data(client, anna, dace):
    rights.restrict(respondent=anna.respondent, actor=dace)
    client.force_login(dace)
    response = client.post(reverse("privacy:export", args=[anna.respondent.pk]), {"export-kind": "access"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith(f'attachment; filename="respondent-{anna.respondent.pk}-access-')
    assert response.json()["respondent"]["processing_restricted"]
    assert PrivacyRequest.objects.filter(kind="access", status="done", handled_by=dace).count() == 1  # the logged one is done


def test_the_command_writes_the_same_export_and_records_the_request(anna, dace, tmp_path, capsys):
    out = tmp_path / "anna.json"
    call_command("export_respondent", anna.email, "--output", str(out), "--by", "dace", "--received", "2026-11-01")
    document = json.loads(out.read_text())
    assert document["respondent"]["email"] == anna.email
    request = PrivacyRequest.objects.get(kind="access", action="exported")
    assert request.handled_by == dace  # the access request logged for her is the one answered
    call_command("privacy", "export", str(anna.respondent.pk), "--kind", "portability")
    assert json.loads(capsys.readouterr().out)["kind"] == "portability"
    assert PrivacyRequest.objects.get(kind="portability").channel == "command"
