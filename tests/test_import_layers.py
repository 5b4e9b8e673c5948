"""Data flows one way: app -> runner -> results | config -> protocol -> reconciliation -> amplification | engine -> physics
(ARCHITECTURE.md)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "caligo_sweep"
#: Layer rank: a module may import only from layers of lower rank (or its own layer); errors and entropy (the one
#: binary entropy) are shared by all.
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
        if target in {"errors", "entropy", "conf"} or target == layer:  # shared modules; conf/ is data
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


def _module_graph() -> dict[str, set[str]]:
    """Which of our modules (caligo_sweep and the Hydra plugin) each of our modules imports, lazy imports included.

    ``from P import N`` imports the module ``P.N`` when there is one (a ``.py`` file, a package or a C extension's
    source), else ``P``. Edges to the importer's own parent packages are left out: Python initialises a package before
    any of its modules, so they can never close a cycle at import time.
    """
    modules: dict[str, Path] = {}
    extensions: set[str] = set()
    for root in (PACKAGE, PACKAGE.parent / "hydra_plugins"):
        for path in root.rglob("*.py"):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
        extensions.update(".".join(c.relative_to(PACKAGE.parent).with_suffix("").parts) for c in root.rglob("*.c"))

    def ours(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets.update(ours(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    if submodule in extensions:
                        continue
                    targets.add(submodule if submodule in modules else ours(node.module))
        parents = {module.rsplit(".", depth)[0] for depth in range(1, module.count(".") + 1)}
        graph[module] = {t for t in targets if t is not None and t != module and t not in parents}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert _cycles(_module_graph()) == []


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
