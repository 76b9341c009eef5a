"""The CSV upload page, for team managers and administrators."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from casework.cases.access import teams_user_manages
from casework.htmx import render_page_or_fragment
from casework.spreadsheets import SpreadsheetWriter

from .csv_import import COLUMNS, CsvFileError
from .forms import UploadForm
from .importing import UploadRefused, preview_rows, start_import, upload_import
from .models import Import


def may_import(user) -> bool:
    return user.is_superuser or teams_user_manages(user).exists()


def _imports_of(user):
    if not may_import(user):
        raise PermissionDenied
    imports = Import.objects.select_related("source", "uploaded_by")
    return imports if user.is_superuser else imports.filter(uploaded_by=user)


def import_home(request):
    imports = _imports_of(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            csv_import = upload_import(
                source=form.cleaned_data["source"], user=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except UploadRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("intake:import-detail", pk=csv_import.pk)
    return render(
        request, "intake/import_home.html", {"form": form, "imports": imports[:20], "columns": COLUMNS}
    )


def import_detail(request, pk):
    csv_import = get_object_or_404(_imports_of(request.user), pk=pk)
    rows, problem = [], ""
    if csv_import.status == Import.Status.UPLOADED:
        try:
            rows = preview_rows(csv_import)
        except (CsvFileError, OSError) as error:
            problem = str(error)
    context = {
        "csv_import": csv_import,
        "preview": rows,
        "preview_problem": problem,
        "columns": COLUMNS,
        "problems": csv_import.problems.all()[:200],
    }
    return render_page_or_fragment(request, "intake/import_detail.html", "import-status", context)


def import_start(request, pk):
    csv_import = get_object_or_404(_imports_of(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    start_import(csv_import=csv_import)
    return redirect("intake:import-detail", pk=csv_import.pk)


class _Echo:
    def write(self, value):
        return value


def import_problems_csv(request, pk):
    csv_import = get_object_or_404(_imports_of(request.user), pk=pk)
    if csv_import.status not in (Import.Status.DONE, Import.Status.RUNNING):
        raise Http404
    writer = SpreadsheetWriter(_Echo())
    rows = ([p.row, p.field, p.message] for p in csv_import.problems.iterator())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _with_header(rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{csv_import.pk}-problems.csv"'
    return response


def _with_header(rows):
    yield ["row", "field", "message"]
    yield from rows
