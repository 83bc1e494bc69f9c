"""Imports point down only: each module of servant imports from its own layer or the
layers below it, never from one above (docs/architecture.md draws the layers)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "servant_cli"

#: From the bottom up; a module belongs to the first entry its dotted name starts with.
LAYERS = (
    ("errors",),
    # dates is pure and needs only errors; models names days with it.
    ("config", "text", "models", "money", "dates", "files"),
    ("store",),
    ("agenda",),
    ("digest", "ical", "calendar_folder", "importers", "mail", "dav"),
    ("render",),
    ("services",),
    ("commands", "cli", "console", "__main__", ""),
)


def layer_of(module: str) -> int:
    """The layer of ``servant_cli.<module>`` (its first dotted part decides)."""
    first = module.split(".")[0]
    return next(number for number, names in enumerate(LAYERS) if first in names)


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(part for part in parts if part != "__init__")
        found.append((name, path))
    return found


def imported(path: Path) -> set[str]:
    """The servant modules a file imports, wherever the import stands (inside functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("servant_cli"):
            base = node.module.removeprefix("servant_cli").lstrip(".")
            names |= {f"{base}.{alias.name}".lstrip(".") for alias in node.names} if not base else {base}
        elif isinstance(node, ast.Import):
            names |= {a.name.removeprefix("servant_cli.") for a in node.names if a.name.startswith("servant_cli.")}
    return names


def test_every_module_has_a_layer() -> None:
    assert len(modules()) > 40
    for name, _ in modules():
        layer_of(name)


@pytest.mark.parametrize(("name", "path"), modules(), ids=[name or "servant_cli" for name, _ in modules()])
def test_imports_point_down_only(name: str, path: Path) -> None:
    mine = layer_of(name)
    upward = sorted(other for other in imported(path) if layer_of(other) > mine)
    assert not upward, f"servant_cli.{name} (layer {mine}) imports a higher layer: {upward}"
