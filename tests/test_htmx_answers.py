"""URLs that answer both a page and an htmx fragment say so in `Vary: HX-Request` (issue 8, point 9),
and pick between them in one place (casework/htmx.py), back-button restores included."""

import ast
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.intake.importing import upload_import

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent / "casework"


@pytest.fixture
def urls(maija, payroll, make_case, source):
    case = make_case(team=payroll)
    from casework.cases.models import Case

    # Maija's own case keeps her on My cases ("/"), not the team overview managers without cases land on.
    Case.objects.filter(pk=case.pk).update(status="in_progress", assignee=maija)
    upload = SimpleUploadedFile("a.csv", b"id,metric,score,answered_at\nr-1,nps,3,2026-11-20T10:00:00Z\n")
    csv_import = upload_import(source=source, user=maija, uploaded_file=upload)
    return ["/", "/cases/", "/teams/payroll/", f"/cases/{case.reference}/compose/", f"/import/{csv_import.pk}/"]


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}], ids=["page", "htmx", "restore"])
def test_every_page_with_a_fragment_varies_on_hx_request(client, maija, urls, headers):
    client.force_login(maija)
    for url in urls:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert "HX-Request" in response.get("Vary", ""), url
        full_page = b"<html" in response.content
        assert full_page == (headers != {"HX-Request": "true"}), url


def test_views_do_not_branch_on_htmx_by_hand():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path.name == "htmx.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "htmx" and isinstance(node.value, ast.Name) and node.value.id == "request":
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == [], "use casework.htmx.render_page_or_fragment / wants_fragment"
