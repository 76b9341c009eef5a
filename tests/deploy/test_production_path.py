"""The production run path (issue 16, point 1): gunicorn with production settings against a fresh
database serves a page and whitenoise's compressed, hashed static files; the container recipe builds
where the machine has a Docker daemon (skipped, saying so, where it has not)."""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def database_url():
    """SQLite in a temporary folder, or (in the PostgreSQL run) a database of its own on that server."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ""
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_serve_{secrets.token_hex(3)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def served(tmp_path_factory, database_url):
    """What `make serve` does: migrate, collectstatic, gunicorn with several workers, production settings."""
    var = tmp_path_factory.mktemp("serve-var")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DEBUG="false", SECRET_KEY=secrets.token_hex(32), ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false",
        CASEWORK_VAR_DIR=str(var), TASKS_BACKEND="database", BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input", "--verbosity", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    log = open(var / "gunicorn.log", "w+")
    server = subprocess.Popen([GUNICORN, "--config", "deploy/gunicorn.conf.py", "casework.wsgi"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (var / "gunicorn.log").read_text()
                time.sleep(0.2)
        yield base, var / "gunicorn.log"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def get(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as answer:
        return answer.status, answer.headers, answer.read()


def test_gunicorn_serves_the_sign_in_page_and_health(served):
    base, _log = served
    status, headers, body = get(base + "/accounts/login/")
    assert status == 200 and b'name="username"' in body
    assert headers["X-Request-ID"] and "default-src 'self'" in headers["Content-Security-Policy"]
    assert get(base + "/healthz")[2] == b'{"status": "ok", "database": "up"}'


def test_static_files_are_hashed_compressed_and_cached_for_good(served):
    base, _log = served
    page = get(base + "/accounts/login/")[2].decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links a stylesheet with a content hash in its name"
    status, headers, body = get(base + stylesheet.group(1), **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and body[:2] == b"\x1f\x8b"
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]


def test_the_servers_log_is_json_lines_with_request_ids(served):
    import json

    base, log = served
    get(base + "/healthz", **{"X-Request-ID": "smoke-1"})
    time.sleep(0.5)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # gunicorn's own lines are JSON too
    assert any(line.get("request_id") == "smoke-1" and line["message"] == "GET /healthz 200" for line in lines)


def test_the_container_image_builds():
    if shutil.which("docker") is None:
        pytest.skip("docker is not installed here: the Dockerfile was not built (CI machines with Docker build it)")
    if subprocess.run(["docker", "info"], capture_output=True).returncode != 0:
        pytest.skip("no Docker daemon answers here: the Dockerfile was not built (CI machines with Docker build it)")
    build = subprocess.run(["docker", "build", "--tag", "casework:smoke", "."], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert build.returncode == 0, build.stderr[-3000:]
    compose = subprocess.run(["docker", "compose", "config", "--quiet"], cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SECRET_KEY": "x"})
    assert compose.returncode == 0, compose.stderr


def test_the_container_recipe_copies_what_the_app_needs():
    """Checked everywhere, Docker or not: a folder the app needs but the image leaves out fails here."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\S+) ", dockerfile, re.MULTILINE))
    needed = {"pyproject.toml", "manage.py", "casework", "templates", "static", "locale", "fixtures", "deploy"}
    assert needed <= copied
    for path in copied:
        assert (ROOT / path).exists(), path
    assert "deploy/gunicorn.conf.py" in dockerfile and (ROOT / "deploy" / "gunicorn.conf.py").exists()
