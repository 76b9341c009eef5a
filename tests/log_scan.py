"""Every log record of the test suite is scanned for personal data: an e-mail address, or a name or
comment the fixtures use. One found fails the whole run (naming the test, the logger and what was
found), because whatever the suite makes the app log, production logs too (issue 16, point 3).

Loaded from tests/conftest.py; see `scan` for what counts."""

import logging
import re
import traceback

import pytest

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
# Names and comments the fixtures and tests give respondents and staff (tests/conftest.py and the
# test modules): found in a log line, they are a leak.
PERSONAL = re.compile(
    "|".join(
        [
            r"Jānis", r"\bOzols\b", r"Liepiņa", r"Kalniņa", r"Bērziņa", r"Anna Smith", r"\bPerson \d+\b",
            r"Too slow", r"Payslips (are slow|take)", r"Secret complaint", r"Slow payslips", r"old complaint",
            r"Payroll secret comment",
        ]
    )
)


def scan(text: str) -> list[str]:
    return [match.group() for pattern in (EMAIL, PERSONAL) for match in pattern.finditer(text)]


def record_text(record: logging.LogRecord) -> str:
    try:
        parts = [record.getMessage()]
    except Exception:  # noqa: BLE001 - a broken record is still scanned as far as it goes
        parts = [str(record.msg), repr(record.args)]
    if record.exc_info:
        parts.append("".join(traceback.format_exception(*record.exc_info)))
    parts.extend(str(value) for key, value in vars(record).items() if key not in _STANDARD)
    return "\n".join(parts)


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id", "taskName"}


# Loggers of the test tooling, not of Casework: aiosmtpd's ("mail.log") is the receiving mail server
# that tests stand up, and it logs each envelope's addresses, as a real mail server's own log would.
NOT_CASEWORK = ("mail.log",)


class PersonalDataScanner(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.test = "(outside a test)"
        self.found: list[tuple[str, str, str]] = []

    def emit(self, record):
        if record.name.startswith(NOT_CASEWORK):
            return
        for match in scan(record_text(record)):
            self.found.append((self.test, record.name, match))


_scanner = PersonalDataScanner()


def pytest_configure(config):
    logging.getLogger().addHandler(_scanner)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _scanner.test = item.nodeid
    try:
        return (yield)
    finally:
        _scanner.test = "(outside a test)"


def pytest_sessionfinish(session, exitstatus):
    if not _scanner.found:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [f"{test}: logger {logger!r} logged {match!r}" for test, logger, match in dict.fromkeys(_scanner.found)]
    if reporter is not None:
        reporter.write_sep("=", "personal data in log records", red=True)
        for line in lines[:50]:
            reporter.write_line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
