"""Security headers on every page, from day one."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client, janis):
    client.force_login(janis)
    response = client.get(reverse("cases:mine"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_pages_forbid_framing_sniffing_and_leaky_referrers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_with_personal_data_are_never_cached(client, janis):
    client.force_login(janis)
    response = client.get(reverse("cases:list"))
    assert "no-store" in response["Cache-Control"]


def test_templates_have_no_inline_script_or_style():
    """The policy refuses inline code, so any in a template would silently break in the browser."""
    root = Path(__file__).resolve().parent.parent / "templates"
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text()
        # E-mails are read in mail clients, where only inline styles work and no CSP applies.
        if "email" in template.parts:
            continue
        if template.name != "500.html" and ("<script>" in text or "style=" in text or "<style" in text or " on" + "click=" in text):
            offenders.append(template.name)
    assert offenders == []


def test_production_settings_pass_the_deploy_check(tmp_path):
    root = Path(__file__).resolve().parent.parent
    env = {
        # Without DATABASE_URL: the generated columns' model checks ask the database what it supports, and the
        # suite's PostgreSQL database exists only under its test name.
        **{key: value for key, value in os.environ.items() if key not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")},
        "DEBUG": "false",
        "SMTP_HOST": "smtp.example.com",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "casework.example.com",
        "CASEWORK_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "", "CASEWORK_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
