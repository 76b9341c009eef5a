"""CSV import: the API's fields as columns, read as a stream in chunks so that a file of any size
imports in bounded memory, through the same `ingest` as the API (so re-importing creates nothing)."""

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import reset_queries
from django.utils.translation import gettext as _

from casework.feedback.models import Source

from .connectors import qualtrics
from .csv_rows import CsvFileError, TooManyValues
from .ingestion import CREATED, DUPLICATE, INVALID, Result, ingest

ITEM_COLUMNS = ["id", "metric", "score", "comment", "answered_at", "channel", "product", "url", "locale"]
RESPONDENT_COLUMNS = ["respondent_id", "respondent_email", "respondent_name", "respondent_company", "respondent_country"]
COLUMNS = ITEM_COLUMNS + RESPONDENT_COLUMNS
REQUIRED_COLUMNS = ["id", "metric", "score", "answered_at"]
CHUNK = 500
MAX_PROBLEMS_KEPT = 1000
# csv's default limit (128 KiB) is far above the comment cap, and keeps a broken quote from
# swallowing the whole file into one field.
csv.field_size_limit(1024 * 1024)


@dataclass
class Problem:
    row: int
    field: str
    message: str


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    duplicates: int = 0
    invalid: int = 0
    cases: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    # Called with every problem, for reports larger than the few kept in `problems`.
    on_problem: Callable[[Problem], None] | None = None

    def add(self, row: int, result) -> None:
        self.rows += 1
        if result.status == CREATED:
            self.created += 1
            self.cases += result.case is not None
        elif result.status == DUPLICATE:
            self.duplicates += 1
        elif result.status == INVALID:
            self.invalid += 1
            for name, messages in result.errors.items():
                for message in messages:
                    problem = Problem(row, name, message)
                    self.problem_count += 1
                    if len(self.problems) < MAX_PROBLEMS_KEPT:
                        self.problems.append(problem)
                    if self.on_problem:
                        self.on_problem(problem)


def open_text(binary) -> io.TextIOWrapper:
    # utf-8-sig drops the byte-order mark that spreadsheet programs write; newline="" lets csv read
    # newlines inside quoted fields.
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def read_rows(text, source: Source | None = None) -> Iterator[tuple[int, dict]]:
    """(row number as a spreadsheet shows it, the row's raw item) — the header is row 1. A Qualtrics
    source's files are Qualtrics exports (connectors/qualtrics.py)."""
    if source is not None and source.kind == Source.Kind.QUALTRICS_CSV:
        yield from qualtrics.read_rows(text, source)
        return
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        raise CsvFileError(_("The file is empty.")) from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise CsvFileError(_("The file is not UTF-8 CSV: %(error)s") % {"error": error}) from None
    header = [name.strip().lower() for name in header]
    check_header(header)
    row_number = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise CsvFileError(_("Row %(row)d is not UTF-8.") % {"row": row_number + 1}) from None
        except csv.Error as error:
            raise CsvFileError(_("Row %(row)d: %(error)s") % {"row": row_number + 1, "error": error}) from None
        row_number += 1
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            yield row_number, TooManyValues(len(header), len(values))
            continue
        yield row_number, row_to_item(header, values)


def check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise CsvFileError(
            _("Unknown columns: %(unknown)s. Allowed: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(COLUMNS)}
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CsvFileError(_("Missing columns: %(missing)s.") % {"missing": ", ".join(missing)})
    if len(set(header)) != len(header):
        raise CsvFileError(_("A column appears twice in the header."))


def row_to_item(header: list[str], values: list[str]) -> dict:
    """A CSV row as the API's JSON object. CSV has no types: a score of digits becomes a number,
    anything else stays text, which validation then refuses with its usual message."""
    row = dict(zip(header, values))
    item = {name: row[name] for name in ITEM_COLUMNS if row.get(name, "") != ""}
    score = item.get("score")
    if isinstance(score, str) and re.fullmatch(r"-?[0-9]{1,6}", score.strip()):
        item["score"] = int(score)
    person = {name.removeprefix("respondent_"): row[name] for name in RESPONDENT_COLUMNS if row.get(name, "") != ""}
    if person:
        item["respondent"] = person
    return item


def import_csv(
    source: Source,
    binary,
    *,
    progress: Callable[[Summary], None] | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    chunk_size: int = CHUNK,
) -> Summary:
    summary = Summary(on_problem=on_problem)
    chunk: list[tuple[int, dict]] = []
    text = open_text(binary)
    try:
        for row_number, raw in read_rows(text, source):
            chunk.append((row_number, raw))
            if len(chunk) >= chunk_size:
                _import_chunk(source, chunk, summary)
                chunk = []
                if progress:
                    progress(summary)
        if chunk:
            _import_chunk(source, chunk, summary)
        if progress:
            progress(summary)
    finally:
        text.detach()  # the caller opened the binary file and closes it
    return summary


def _import_chunk(source, chunk, summary) -> None:
    # With DEBUG on, Django logs every query until a request ends; an import is one long "request".
    reset_queries()
    rows = [(number, raw) for number, raw in chunk if isinstance(raw, dict)]
    results = dict(zip((number for number, _raw in rows), ingest(source, [raw for _number, raw in rows])))
    for row_number, raw in chunk:
        if not isinstance(raw, dict):  # TooManyValues, RowProblem
            summary.add(row_number, Result(None, INVALID, errors={"row": [raw.message]}))
        else:
            summary.add(row_number, results[row_number])


def preview(binary, *, rows: int = 10, source: Source | None = None) -> list[tuple[int, dict]]:
    """The first `rows` rows as they will be read, for the upload page to show before anything is
    stored. Raises CsvFileError for a file that cannot be imported at all."""
    first = []
    text = open_text(binary)
    try:
        for row in read_rows(text, source):
            first.append(row)
            if len(first) >= rows:
                break
    finally:
        text.detach()  # the caller still owns, and may reuse, the binary file
    return first
