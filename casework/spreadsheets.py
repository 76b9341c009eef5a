"""CSV that people open in a spreadsheet. A cell that starts with =, +, -, @ (or a tab or carriage
return before them) is run as a formula by Excel, LibreOffice and Google Sheets, so text that came
from respondents, survey tools or staff could make a download compute, fetch or link (CSV
injection, OWASP). Such a text cell is written with a leading apostrophe, which the spreadsheet
shows as plain text; numbers are written as they are."""

import csv

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class SpreadsheetWriter:
    """csv.writer for files meant for people: every text cell made inert."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row):
        return self._writer.writerow([inert_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
