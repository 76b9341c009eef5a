"""CSV downloads: the filtered case list and every dashboard table. UTF-8 with a byte-order mark, so
spreadsheet programs read Latvian letters right; cells a spreadsheet would run as a formula are
neutralised; rows are streamed from a database cursor, so 100,000 of them never sit in memory."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.cases.lifecycle import CloseReason, Priority, Status
from casework.feedback.metrics import band_for
# One rule for every CSV made for people (casework/spreadsheets.py).
from casework.spreadsheets import inert_cell as neutralise

BOM = "\ufeff"
CHUNK = 2000


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow([neutralise("" if cell is None else cell) for cell in row])


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def table_rows(table) -> Iterator[list]:
    for row in table.rows:
        yield [row.get(column.key) for column in table.columns]


CASE_FIELDS = (
    "number", "status", "priority", "team__name", "assignee__username", "product", "metric", "score", "response__channel",
    "respondent__country", "created_at", "first_contact_due_at", "first_contacted_at", "closed_at", "close_reason",
    "respondent__name", "response__comment", "respondent__restricted_at", "respondent__erased_at",
)


def case_header() -> list[str]:
    return [
        _("Case"), _("Status"), _("Priority"), _("Team"), _("Assignee"), _("Product"), _("Metric"), _("Score"), _("Band"),
        _("Channel"), _("Country"), _("Opened"), _("First contact due"), _("First contacted"), _("Closed"),
        _("Reason for closing"), _("Respondent"), _("Comment"),
    ]


def case_rows(cases, *, prefix: str) -> Iterator[list]:
    """One row per case, read as plain tuples in chunks. A restricted or erased person's name and
    words are left out: the export carries no more of them than the dashboard shows."""
    statuses, priorities, reasons = dict(Status.choices), dict(Priority.choices), dict(CloseReason.choices)
    local = timezone.get_current_timezone()

    def moment(value):
        return value.astimezone(local).strftime("%Y-%m-%d %H:%M") if value else ""

    for (
        number, status, priority, team, assignee, product, metric, score, channel, country, created, due, contacted,
        closed, reason, name, comment, restricted, erased,
    ) in cases.values_list(*CASE_FIELDS).iterator(chunk_size=CHUNK):
        withheld = bool(restricted or erased)
        yield [
            f"{prefix}{number}", statuses.get(status, status), priorities.get(priority, priority), team, assignee or "",
            product, metric, score, band_for(metric, score).label if metric and score is not None else "", channel,
            country or "", moment(created), moment(due), moment(contacted), moment(closed), reasons.get(reason, reason),
            "" if withheld else (name or ""), "" if withheld else (comment or ""),
        ]
