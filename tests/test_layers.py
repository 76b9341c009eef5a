"""Apps import only from the layers below them (STYLE.md, "Casework's shape")."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "casework"
LAYER = {"accounts": 1, "teams": 1, "feedback": 1, "cases": 2, "intake": 3, "outreach": 3, "privacy": 4, "insights": 4, "demo": 5}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("casework."):
            names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("casework."))
    return names & set(LAYER)


@pytest.mark.parametrize("app", sorted(LAYER))
def test_no_app_imports_sideways_or_up(app):
    offenders = []
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for other in imported_apps(path):
            if other != app and LAYER[other] >= LAYER[app]:
                offenders.append(f"{path.relative_to(ROOT)} imports {other}")
    assert offenders == []
