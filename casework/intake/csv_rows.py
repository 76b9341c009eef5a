"""What a CSV reader yields besides good rows, shared by the Casework CSV reader (csv_import.py) and the
Qualtrics export reader (connectors/qualtrics.py)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


class CsvFileError(Exception):
    """The file as a whole cannot be imported (wrong columns, not UTF-8, not CSV)."""


@dataclass
class TooManyValues:
    """A row with more values than the header has columns: usually a quote left open upstream."""

    expected: int
    found: int

    @property
    def message(self) -> str:
        return _("This row has %(found)d values but the header has %(expected)d columns.") % {
            "found": self.found,
            "expected": self.expected,
        }


@dataclass
class RowProblem:
    """A row that cannot become a response at all (e.g. a Qualtrics row without the mapped score)."""

    message: str
