"""The erasure ledger: the fingerprints (keyed hashes, never the values) of everyone erased, kept in
a file outside the database. A database restored from a backup taken before an erasure brings the
person back, and the database's own records of the erasure with it; the ledger does not go back in
time with the database, so `manage.py reapply_erasures` can erase them again."""

import datetime
import json
import os
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings


def ledger_path() -> Path:
    return Path(settings.CASEWORK_ERASURE_LEDGER)


def append(digests: Iterable[str], *, when: datetime.datetime) -> None:
    """One line per erasure, on disk before the erasure commits: a crash in between leaves a line
    for someone still in the database, whom `reapply_erasures` then erases as was asked."""
    digests = sorted(set(digests))
    if not digests:
        return
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"erased_at": when.isoformat(), "fingerprints": digests}) + "\n"
    with open(path, "a", encoding="utf-8") as ledger:
        ledger.write(line)
        ledger.flush()
        os.fsync(ledger.fileno())


def read_fingerprints() -> tuple[set[str], int]:
    """Every fingerprint in the ledger, and the number of lines that could not be read."""
    path = ledger_path()
    digests, unreadable = set(), 0
    if not path.exists():
        return digests, unreadable
    with open(path, encoding="utf-8") as ledger:
        for line in ledger:
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                digests.update(str(digest) for digest in entry["fingerprints"])
            except (ValueError, KeyError, TypeError):
                unreadable += 1  # e.g. a line cut short by a full disk
    return digests, unreadable
