"""Structured logs: one JSON object per line in production, each with the id of the request (or task,
or periodic job) it belongs to, so that a request can be followed from the web process into the worker.

A request id comes from the caller's X-Request-ID header when it is a plain token (a proxy or load
balancer that already numbers requests), else is made here; it is sent back on the response. Task
functions wrapped with `carries_request_id` take it as a keyword argument, so the worker's lines about
a closing e-mail carry the id of the request that queued it.

What is logged never includes e-mail addresses, names or comments: log ids, URL patterns and counts.
(tests/log_scan.py scans every log record of the test suite for the fixtures' personal data.)"""

import contextvars
import functools
import json
import logging
import re
import secrets
import time
import traceback

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("casework_request_id", default="")
HEADER = "X-Request-ID"
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}\Z")
request_log = logging.getLogger("casework.request")
task_log = logging.getLogger("casework.tasks")

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id", "taskName"}


def new_id(prefix: str = "") -> str:
    return prefix + secrets.token_hex(8)


def current_request_id() -> str:
    return REQUEST_ID.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record, for the formatters."""

    def filter(self, record):
        record.request_id = REQUEST_ID.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line. json.dumps escapes CR, LF and every other control character (and, with
    ensure_ascii, U+2028/U+2029 too), so no logged value — a header, a username, an exception message —
    can end the line and start a forged one."""

    def format(self, record):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get() or "-",
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=True, default=str)


class TextFormatter(logging.Formatter):
    """Development's readable lines; line breaks inside a message are shown escaped, so here too one
    record is one line (a traceback follows indented)."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatMessage(self, record):
        record.message = record.message.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")
        return super().formatMessage(record)

    def formatException(self, exc_info):
        return "\n".join("    " + line for line in super().formatException(exc_info).splitlines())


class RequestIdMiddleware:
    """First in the middleware list: every line logged while a request is handled carries its id, and
    one line per request records method, URL pattern (never the path's values or the query string,
    which may hold a name someone searched for), status and time taken."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        request_id = offered if ACCEPTED_ID.match(offered) else new_id()
        token = REQUEST_ID.set(request_id)
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            match = getattr(request, "resolver_match", None)
            request_log.info(
                "%s %s %s",
                request.method,
                f"/{match.route}" if match is not None else "(no route)",
                response.status_code,
                extra={"status_code": response.status_code, "duration_ms": round((time.monotonic() - started) * 1000, 1)},
            )
            return response
        finally:
            REQUEST_ID.reset(token)


def carries_request_id(function):
    """For task functions: `request_id=` (given by the code that enqueues, from `current_request_id()`)
    becomes the current request id while the task runs; a task queued outside any request gets its own."""

    @functools.wraps(function)
    def run(*args, request_id: str = "", **kwargs):
        token = REQUEST_ID.set(request_id if request_id and ACCEPTED_ID.match(request_id) else new_id("task-"))
        started = time.monotonic()
        name = f"{function.__module__}.{function.__qualname__}"
        try:
            result = function(*args, **kwargs)
        except BaseException as error:
            task_log.warning("task %s failed: %s", name, type(error).__name__)
            raise
        else:
            task_log.info("task %s done", name, extra={"duration_ms": round((time.monotonic() - started) * 1000, 1)})
            return result
        finally:
            REQUEST_ID.reset(token)

    return run
