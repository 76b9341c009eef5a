"""gunicorn settings for Casework (`make serve`, deploy/casework-web.service, the Dockerfile).

Environment: BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (worker processes, default 2 × cores + 1),
GUNICORN_TIMEOUT (seconds, default 30). Logs are JSON lines like the app's (casework/logs.py); there is
no gunicorn access log, since the app logs one line per request itself, without query strings (which
may hold a name someone searched for)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers mostly wait for PostgreSQL; gunicorn's advice is 2 × cores + 1.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak can never grow for weeks.
max_requests = 5000
max_requests_jitter = 500
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

_format = os.environ.get("LOG_FORMAT", "json")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "casework.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "casework.logs.JsonFormatter"},
        "text": {"()": "casework.logs.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": _format, "filters": ["request_id"], "stream": "ext://sys.stderr"},
    },
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}
