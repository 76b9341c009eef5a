"""Qualtrics CSV exports, read through the CSV import (csv_import.py). Qualtrics' event subscriptions
carry only ids, so the export is the way in. Its three header rows are the column names (editable in
Qualtrics), the question texts, and `{"ImportId": "QID1"}` JSON that stays the same whatever the names
become: columns are matched on the ImportId (`QID1`, `QID2_TEXT`; `QID1_NPS_GROUP` is derived from the
score and ignored). Dates are written without a time zone; row 3 names it (`"timeZone":
"Europe/Riga"`). Legacy exports have only the first two rows: their columns are matched by name and
their dates read in the source's time zone. Preview responses are skipped."""

import csv
import datetime
import json
import zoneinfo
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from casework.feedback.models import Source

from ..csv_rows import CsvFileError, RowProblem, TooManyValues
from .mapping import Answer, MappingError, NotYet, as_text, build_item, load_mappings

# ImportIds of the metadata columns, and the names legacy exports give them.
RESPONSE_ID = ("_recordId", "ResponseId", "ResponseID")
RECORDED = ("recordedDate", "RecordedDate", "endDate", "EndDate")
CHANNEL = ("distributionChannel", "DistributionChannel")
EMAIL = ("recipientEmail", "RecipientEmail")
FIRST_NAME = ("recipientFirstName", "RecipientFirstName")
LAST_NAME = ("recipientLastName", "RecipientLastName")
REFERENCE = ("externalDataReference", "ExternalReference", "ExternalDataReference")
LANGUAGE = ("userLanguage", "UserLanguage")
STATUS = ("status", "Status")
# Rows that are not respondents' answers: Qualtrics' own previews of the survey.
SKIPPED_CHANNELS = {"preview"}
SKIPPED_STATUSES = {"Survey Preview", "1"}


def read_rows(text, source: Source) -> Iterator[tuple[int, dict]]:
    """Like csv_import.read_rows: (row number as a spreadsheet shows it, the row as an API item)."""
    reader = csv.reader(text)
    try:
        names = next(reader)
        texts = next(reader)
    except StopIteration:
        raise CsvFileError(_("A Qualtrics export starts with at least two header rows.")) from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise CsvFileError(_("The file is not UTF-8 CSV: %(error)s") % {"error": error}) from None
    del texts  # question texts are for people; nothing is matched on them
    first = next(reader, None)
    import_ids, zones = _import_ids(first) if first else (None, {})
    pending = [] if import_ids is not None or first is None else [first]
    keys = import_ids or names
    row_number = 3 if import_ids is not None else 2
    mappings = load_mappings(source)
    default_zone = source.time_zone or settings.TIME_ZONE
    for values in _rows(pending, reader):
        row_number += 1
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(keys):
            yield row_number, TooManyValues(len(keys), len(values))
            continue
        row = dict(zip(names, values))
        row.update(zip(keys, values))  # ImportIds win over the editable names
        if _pick(row, CHANNEL).lower() in SKIPPED_CHANNELS or _pick(row, STATUS) in SKIPPED_STATUSES:
            continue
        yield row_number, _item(source, mappings, row, zones, default_zone)


def _rows(pending, reader):
    yield from pending
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as error:
            raise CsvFileError(_("The file is not UTF-8 CSV: %(error)s") % {"error": error}) from None


def _import_ids(row: list[str]) -> tuple[list[str] | None, dict[str, str]]:
    """The third header row as ImportIds and their time zones, or None when the row is an answer
    (a legacy two-row export)."""
    ids, zones = [], {}
    for cell in row:
        try:
            data = json.loads(cell)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("ImportId"), str):
            return None, {}
        ids.append(data["ImportId"])
        if isinstance(data.get("timeZone"), str):
            zones[data["ImportId"]] = data["timeZone"]
    return ids, zones


def _item(source, mappings, row: dict, zones: dict, default_zone: str) -> dict | RowProblem:
    name = " ".join(part for part in (_pick(row, FIRST_NAME), _pick(row, LAST_NAME)) if part)
    answer = Answer(
        external_id=_pick(row, RESPONSE_ID),
        answered_at=_moment(row, zones, default_zone),
        person={"id": _pick(row, REFERENCE), "email": _pick(row, EMAIL), "name": name},
        locale=_pick(row, LANGUAGE).replace("-", "_").split("_")[0].lower(),
        channel="link" if _pick(row, CHANNEL) in ("anonymous", "email", "gl") else "",
    )
    try:
        return build_item(source, mappings, answer, lambda key: row.get(key) or None)
    except (MappingError, NotYet) as error:
        # A row without the score is refused with the reason, like any invalid row.
        return RowProblem(str(error))


def _pick(row: dict, names) -> str:
    return next((as_text(row[name]) for name in names if row.get(name)), "")


def _moment(row: dict, zones: dict, default_zone: str) -> datetime.datetime | None:
    for name in RECORDED:
        value = as_text(row.get(name))
        if not value:
            continue
        try:
            moment = datetime.datetime.fromisoformat(value)
            zone = zoneinfo.ZoneInfo(_zone_name(zones.get(name) or default_zone))
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=zone)
    return None


def _zone_name(name: str) -> str:
    return "UTC" if name in ("Z", "UTC", "GMT") else name
