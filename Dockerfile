# Casework's image: the web server (gunicorn) by default; the same image runs the worker and the
# migrations (compose.yaml). Configuration comes from the environment (README, "Deployment").
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_NO_PROGRESS=1 \
    CASEWORK_VAR_DIR=/var/lib/casework \
    CASEWORK_STATIC_ROOT=/app/staticfiles \
    BIND=0.0.0.0:8000 \
    PATH=/app/.venv/bin:$PATH

RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv==0.13.9 \
 && useradd --system --home-dir /app --shell /usr/sbin/nologin casework

WORKDIR /app
# Dependencies first, from the lock file alone, so that a code change reuses this layer.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY manage.py ./
COPY casework ./casework
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY fixtures ./fixtures
COPY deploy ./deploy
# The Latvian catalog, and the static files compressed and with hashed names (whitenoise serves them).
RUN msgfmt --check -o locale/lv/LC_MESSAGES/django.mo locale/lv/LC_MESSAGES/django.po \
 && DEBUG=false SECRET_KEY=image-build-only CASEWORK_VAR_DIR=/tmp/build python manage.py collectstatic --no-input --verbosity 0 \
 && rm -rf /tmp/build \
 && mkdir -p /var/lib/casework && chown casework /var/lib/casework

USER casework
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "casework.wsgi"]
