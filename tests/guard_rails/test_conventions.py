"""One convention for choices (STYLE.md): TextChoices/IntegerChoices at module level next to their model,
exposed on it as a class attribute — never nested, where a model's Meta cannot see them and constraints
fall back to copying the values by hand."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "casework"


def test_choices_are_not_nested_in_models():
    nested = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            for inner in node.body:
                if isinstance(inner, ast.ClassDef) and any(
                    isinstance(base, ast.Attribute) and base.attr in ("TextChoices", "IntegerChoices") for base in inner.bases
                ):
                    nested.append(f"{path.relative_to(ROOT)}: {node.name}.{inner.name}")
    assert nested == []
