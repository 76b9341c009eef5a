"""CSV import, from the command line and from the upload page."""

import csv

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from casework.cases.models import Case
from casework.feedback.models import Response
from casework.intake.models import Import

from .conftest import answered

pytestmark = pytest.mark.django_db

HEADER = "id,metric,score,comment,answered_at,channel,product,url,locale,respondent_id,respondent_email,respondent_name,respondent_company,respondent_country"


def csv_text(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def good_row(number, score=3, comment="Too slow"):
    return f'c-{number},nps,{score},"{comment}",{answered()},web,Payroll,,lv,u-{number},p{number}@example.com,"Bērziņa, Anna",Example SIA,LV'


@pytest.fixture
def csv_file(tmp_path):
    def write(text, encoding="utf-8-sig", name="responses.csv"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
        return str(path)

    return write


def test_the_command_imports_rows_with_bom_quoted_newlines_and_commas(csv_file, routes, source, capsys):
    path = csv_file(csv_text(good_row(1), good_row(2, comment="line one\nline two, with a comma"), good_row(3, score=10)))
    call_command("import_responses", path, "--source", source.slug, "--quiet-progress")
    out = capsys.readouterr().out
    assert "3 rows" in out and "3 created (2 with a case)" in out
    assert Response.objects.get(external_id="c-2").comment == "line one\nline two, with a comma"
    assert Response.objects.get(external_id="c-1").respondent.name == "Bērziņa, Anna"
    assert Case.objects.count() == 2


def test_reimporting_the_same_file_creates_nothing(csv_file, routes, source, capsys):
    path = csv_file(csv_text(good_row(1), good_row(2)))
    call_command("import_responses", path, "--source", source.slug, "--quiet-progress")
    call_command("import_responses", path, "--source", source.slug, "--quiet-progress")
    assert "2 already imported" in capsys.readouterr().out
    assert Response.objects.count() == 2 and Case.objects.count() == 2


def test_refused_rows_are_reported_with_row_number_field_and_message(csv_file, routes, source, capsys, tmp_path):
    rows = [good_row(1), good_row(2).replace(",nps,3,", ",nps,eleven,"), good_row(3).replace(",LV", ",XX"), good_row(4)]
    report = tmp_path / "problems.csv"
    call_command("import_responses", csv_file(csv_text(*rows)), "--source", source.slug, "--errors", str(report), "--quiet-progress")
    out = capsys.readouterr().out
    assert "2 created" in out and "2 refused" in out
    assert "row 3: score: Must be a whole number" in out
    assert "row 4: respondent.country: Must be an ISO 3166-1 alpha-2" in out
    lines = list(csv.reader(report.open(encoding="utf-8")))
    assert lines[0] == ["row", "field", "message"]
    assert [line[:2] for line in lines[1:]] == [["3", "score"], ["4", "respondent.country"]]


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_for_the_report_stops_before_importing_and_says_so(csv_file, routes, source):
    with pytest.raises(CommandError) as stopped:
        call_command("import_responses", csv_file(csv_text(good_row(1))), "--source", source.slug, "--errors", "/dev/full", "--quiet-progress")
    assert "the error report /dev/full could not be written (No space left on device)" in str(stopped.value)
    assert "0 rows" in str(stopped.value) and not Response.objects.exists()


def test_a_disk_filling_up_while_reporting_stops_the_import_and_counts_what_was_stored(csv_file, routes, source, tmp_path, monkeypatch):
    """Rows are stored a chunk at a time; the message says how many were, and running the command again
    (with room) completes the file and the report without storing anything twice."""
    import errno

    from casework.intake.management.commands import import_responses

    real_writer = import_responses.SpreadsheetWriter
    lines_until_full = iter(range(2, -1, -1))  # the header and one problem fit, then the disk is full

    class FillingDisk:
        def __init__(self, handle):
            self.writer = real_writer(handle)

        def writerow(self, values):
            if next(lines_until_full, 0) == 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            self.writer.writerow(values)

    rows = [good_row(1), good_row(2, score=11), good_row(3), good_row(4, score=12), good_row(5)]
    path = csv_file(csv_text(*rows))
    report = tmp_path / "problems.csv"
    monkeypatch.setattr(import_responses, "SpreadsheetWriter", FillingDisk)
    with pytest.raises(CommandError) as stopped:
        call_command("import_responses", path, "--source", source.slug, "--errors", str(report), "--quiet-progress")
    assert "could not be written (No space left on device). 3 rows of" in str(stopped.value)
    assert Response.objects.count() == 3  # exactly what the message says
    monkeypatch.setattr(import_responses, "SpreadsheetWriter", real_writer)
    call_command("import_responses", path, "--source", source.slug, "--errors", str(report), "--quiet-progress")
    assert Response.objects.count() == 3
    assert [line[:2] for line in csv.reader(report.open(encoding="utf-8"))][1:] == [["3", "score"], ["5", "score"]]


def test_a_row_with_too_many_values_is_reported(csv_file, routes, source, capsys):
    call_command("import_responses", csv_file(csv_text(good_row(1) + ",extra")), "--source", source.slug, "--quiet-progress")
    assert "row 2: row: This row has 15 values but the header has 14 columns." in capsys.readouterr().out


def test_a_file_without_bom_and_with_only_the_required_columns(csv_file, routes, source):
    path = csv_file(csv_text(f"m-1,csat,1,{answered()}", header="id,metric,score,answered_at"), encoding="utf-8")
    call_command("import_responses", path, "--source", source.slug, "--quiet-progress")
    assert Response.objects.get().metric == "csat"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,metric,score,answered_at,colour\n", "Unknown columns: colour"),
        ("id,metric,answered_at\n", "Missing columns: score"),
        ("", "The file is empty."),
        ("id,metric,score,answered_at\n".encode() + "x-1,nps,3,2026-11-20T10:00:00Z,\xe9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_as_a_whole(csv_file, routes, source, content, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_responses", csv_file(content), "--source", source.slug, "--quiet-progress")
    assert not Response.objects.exists()


def test_an_unknown_source_is_refused(csv_file, source):
    with pytest.raises(CommandError, match="No source"):
        call_command("import_responses", csv_file(csv_text()), "--source", "nope")


# The upload page.


def upload(client, source, text, name="feedback.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")
    return client.post(reverse("intake:import"), {"source": source.pk, "file": file})


def test_a_manager_uploads_previews_imports_and_reads_the_report(client, maija, source, routes, django_capture_on_commit_callbacks):
    client.force_login(maija)
    bad = good_row(2).replace(",nps,3,", ",nps,3.5,")
    response = upload(client, source, csv_text(good_row(1), bad, '<script>x</script>,nps,3,"<b>",' + answered() + ",web,Payroll,,,,,,,"))
    csv_import = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("intake:import-detail", args=[csv_import.pk])

    page = client.get(response["Location"]).text
    assert "Nothing is stored yet" in page and "c-1" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    assert not Response.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intake:import-start", args=[csv_import.pk]))
    csv_import.refresh_from_db()
    assert csv_import.status == Import.Status.DONE
    assert (csv_import.rows, csv_import.created, csv_import.invalid) == (3, 2, 1)
    assert not csv_import.file, "the upload is deleted once imported"
    page = client.get(reverse("intake:import-detail", args=[csv_import.pk]), headers={"HX-Request": "true"}).text
    assert 'id="import-status"' in page and "<html" not in page and "hx-trigger" not in page
    assert "Must be a whole number" in page
    report = b"".join(client.get(reverse("intake:import-problems", args=[csv_import.pk])).streaming_content).decode()
    assert report.splitlines()[1].startswith('3,score,"Must be a whole number')


def test_an_unreadable_upload_is_a_form_error(client, maija, source):
    client.force_login(maija)
    response = upload(client, source, "name,score\nx,1\n")
    assert response.status_code == 200
    assert "Unknown columns: name" in response.text
    assert not Import.objects.exists()


def test_staff_cannot_import(client, janis, source):
    client.force_login(janis)
    assert client.get(reverse("intake:import")).status_code == 403
    assert upload(client, source, csv_text(good_row(1))).status_code == 403


def test_an_import_is_visible_only_to_its_uploader_and_administrators(client, maija, admin_user, make_user, accounting, source):
    from casework.teams.membership import add_member

    peter = make_user("peter")
    add_member(team=accounting, user=peter, role="manager")
    client.force_login(maija)
    upload(client, source, csv_text(good_row(1)))
    csv_import = Import.objects.get()
    client.force_login(peter)
    for name in ("intake:import-detail", "intake:import-problems"):
        assert client.get(reverse(name, args=[csv_import.pk])).status_code == 404
    assert client.post(reverse("intake:import-start", args=[csv_import.pk])).status_code == 404
    client.force_login(admin_user)
    assert client.get(reverse("intake:import-detail", args=[csv_import.pk])).status_code == 200


def test_the_upload_preview_says_which_rows_would_be_refused_and_why(client, maija, source):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.intake.importing import upload_import
    from casework.intake.models import Import

    body = (
        "id,metric,score,answered_at,comment\n"
        "ok-1,nps,3,2026-11-20T10:00:00Z,fine\n"
        "bad-1,nps,11,2026-11-20T10:00:00Z,too high\n"
        "bad-2,xyz,3,2026-11-20,no zone\n"
        "bad-3,nps,3,2026-11-20T10:00:00Z,a,b,c\n"
    )
    csv_import = upload_import(source=source, user=maija, uploaded_file=SimpleUploadedFile("a.csv", body.encode()))
    client.force_login(maija)
    page = client.get(f"/import/{csv_import.pk}/").content.decode()
    rows = {line.split("</th>")[0].rsplit(">", 1)[-1]: line for line in page.split("<tr") if '<th scope="row">' in line}
    assert "Will be refused" not in rows["2"] and "OK" in rows["2"]
    assert "score: Must be from 0 to 10 for nps." in rows["3"]
    assert "metric: Must be one of" in rows["4"] and "answered_at: Must include a time zone" in rows["4"]
    assert "This row has 7 values but the header has 5 columns." in rows["5"]
    assert Import.objects.get(pk=csv_import.pk).created == 0  # nothing stored by looking
