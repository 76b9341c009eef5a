"""Apps import only from the layers below them (STYLE.md, "Casework's shape")."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "casework"
LAYER = {"accounts": 1, "teams": 1, "feedback": 1, "cases": 2, "intake": 3, "outreach": 3, "privacy": 4, "insights": 4, "integrations": 4, "demo": 5, "scheduling": 0}


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


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    """Modules of casework that `path` imports anywhere (top level or inside functions)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found.update(name for name in names if name in known)
    return found - {module}


def test_the_import_graph_has_no_cycles():
    paths = {_module_name(path): path for path in ROOT.rglob("*.py") if "migrations" not in path.parts}
    graph = {module: _imports(path, module, set(paths)) for module, path in paths.items()}
    cycles, state = [], {}

    def visit(module, trail):
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
