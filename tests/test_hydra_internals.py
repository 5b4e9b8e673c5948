"""The one use of Hydra's private API (the sweeper plugin subclasses ``BasicSweeper``), pinned to what it relies on."""

import ast
import inspect
from importlib.metadata import requires
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def _imports_hydra_internal(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text())):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        if any(name == "hydra._internal" or name.startswith("hydra._internal.") for name in names):
            return True
    return False


def test_only_the_sweeper_plugin_imports_hydra_internal():
    users = {
        str(path.relative_to(ROOT))
        for root in ("caligo_sweep", "hydra_plugins")
        for path in (ROOT / root).rglob("*.py")
        if _imports_hydra_internal(path)
    }
    assert users == {"hydra_plugins/caligo_sweep_sweeper/__init__.py"}


def test_installed_hydra_is_the_pinned_minor_version():
    import hydra

    (requirement,) = [Requirement(r) for r in requires("caligo-sweep") if Requirement(r).name == "hydra-core"]
    assert Version(hydra.__version__) in requirement.specifier
    assert not requirement.specifier.contains("1.4.0"), "the BasicSweeper subclass is checked against Hydra 1.3 only"


def test_basic_sweeper_has_what_the_subclass_uses():
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    from hydra_plugins.caligo_sweep_sweeper import PrevalidatedSweeper

    assert issubclass(PrevalidatedSweeper, BasicSweeper)
    assert list(inspect.signature(BasicSweeper.setup).parameters) == ["self", "hydra_context", "task_function", "config"]
    assert list(inspect.signature(BasicSweeper.validate_batch_is_legal).parameters) == ["self", "batch"]
    assert list(inspect.signature(BasicSweeper.sweep).parameters) == ["self", "arguments"]
    assert list(inspect.signature(BasicSweeper.split_arguments).parameters) == ["overrides", "max_batch_size"]
    assert list(inspect.signature(BasicSweeper._parse_config).parameters) == ["self"]
    source = inspect.getsource(BasicSweeper)
    for attribute in ("self.batch_index", "self.config", "self.max_batch_size", "self.hydra_context"):
        assert attribute in source, attribute
    # the job list the subclass checks before Hydra's sweep() is the one sweep() builds, and sweep() writes
    # multirun.yaml before it validates the first batch (so the check must come before it)
    sweep_source = inspect.getsource(BasicSweeper.sweep)
    assert "self.split_arguments(overrides, self.max_batch_size)" in sweep_source
    assert sweep_source.index("multirun.yaml") < sweep_source.index("self.validate_batch_is_legal(batch)")


def test_the_flag_table_is_hydras():
    from hydra._internal.utils import get_args_parser

    from caligo_sweep.app.cli_flags import HYDRA_FLAGS

    actions = [action for action in get_args_parser()._actions if action.option_strings]
    expected = {
        tuple(action.option_strings): (
            {0: "no", None: "one", "?": "optional"}[action.nargs],
            tuple(action.choices) if action.choices else None,
        )
        for action in actions
    }
    assert {flag.names: (flag.value, flag.choices) for flag in HYDRA_FLAGS} == expected
