"""Data flows one way: app -> runner -> results | config -> protocol -> reconciliation -> amplification | engine -> physics
(ARCHITECTURE.md)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "caligo_sweep"
#: Layer rank: a module may import only from layers of lower rank (or its own layer); errors are shared by all.
RANK = {
    "physics": 0, "engine": 1, "amplification": 1, "reconciliation": 1.5, "network": 2, "protocol": 2, "config": 3,
    "results": 3, "runner": 4, "app": 5,
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {name for name in names if name.startswith("caligo_sweep.")}


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE), ids=str)
def test_modules_import_only_lower_layers(path):
    layer = path.relative_to(PACKAGE).parts[0]
    for name in _imports(path):
        target = name.split(".")[1]
        if target in {"errors", "conf"} or target == layer:  # shared errors; conf/ is data
            continue
        assert target in RANK, f"{path.name} imports {name}, which belongs to no layer"
        assert RANK[target] < RANK[layer] or (RANK[target] == RANK[layer] and target == layer), (
            f"{layer} must not import {name}"
        )


def test_config_and_results_do_not_import_each_other():
    for layer, other in (("config", "results"), ("results", "config")):
        for path in (PACKAGE / layer).rglob("*.py"):
            assert not any(name.startswith(f"caligo_sweep.{other}") for name in _imports(path))


def _all_imports(path: Path) -> set[str]:
    """Every absolute module name ``path`` imports, whatever package it belongs to."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=str)
def test_runtime_package_never_imports_the_tools(path):
    assert not any(name == "tools" or name.startswith("tools.") for name in _all_imports(path)), (
        f"{path.name} imports from tools/, which is not part of the wheel"
    )
