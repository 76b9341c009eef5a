"""The suite as a newcomer's safety net: a model change without its migration, or a UI string without
its Latvian translation, fails here rather than in production (issue 9)."""

import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "locale" / "lv" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as stop:
        pytest.fail(f"A model changed without its migration (run makemigrations --name <what changed>):\n{out.getvalue()}")
        raise stop


def test_migration_files_have_descriptive_names():
    generated = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "casework").glob("*/migrations/[0-9]*.py")
        if "_auto_" in path.name
    ]
    assert generated == [], "name migrations for what they change: makemigrations --name <what>"


def _fresh_catalog(tmp_path) -> polib.POFile:
    """The catalog as `make makemessages` would write it from today's code, made in a copy of the tree
    so the committed catalog is left as it is."""
    for part in ("casework", "templates", "locale"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "lv", "--no-obsolete", "--no-location", "--no-wrap"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(tmp_path / "locale" / "lv" / "LC_MESSAGES" / "django.po"))


@pytest.fixture(scope="module")
def fresh_catalog(tmp_path_factory):
    return _fresh_catalog(tmp_path_factory.mktemp("catalog"))


def test_every_string_in_the_code_is_translated_into_latvian(fresh_catalog):
    missing = [entry.msgid for entry in fresh_catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh_catalog.fuzzy_entries()]
    assert missing == [], "translate these in locale/lv/LC_MESSAGES/django.po (make makemessages first)"
    assert fuzzy == [], "fuzzy entries show in English: check the translation and drop the fuzzy flag"


def test_plural_entries_have_every_latvian_form(fresh_catalog):
    incomplete = [
        entry.msgid for entry in fresh_catalog if entry.msgid_plural and not all(entry.msgstr_plural.get(i) for i in range(3))
    ]
    assert incomplete == []


def test_the_committed_catalog_is_up_to_date(fresh_catalog):
    committed = polib.pofile(str(CATALOG))
    key = lambda entry: (entry.msgctxt or "", entry.msgid)  # noqa: E731
    assert sorted(map(key, committed)) == sorted(map(key, fresh_catalog)), "run make makemessages and commit the catalog"
