"""Sphinx configuration of the caligo_sweep documentation site.

Build with ``python -m sphinx -W -b html docs docs/_build/html`` (warnings are errors). The configuration
reference is generated from the schemas and ``conf/`` at every build (``tools/docs_reference.py``); the column
dictionary is ``docs/columns.md``, which ``python -m caligo_sweep.app.kinds.columns_doc`` generates and a test keeps
current.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent / "tools"))

import docs_reference  # noqa: E402  (tools/ is not a package of the wheel)

docs_reference.write(DOCS)

project = "caligo_sweep"
author = "the caligo_sweep developers"
copyright = "2026, the caligo_sweep developers"

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3
# Module docstrings list their references once ("References" of the module); member docstrings cite them as
# [1]_, which numpydoc would mangle into a dangling per-docstring label. Such citations become plain "[1]" text,
# and the module's list is then not "referenced" on its own page.
suppress_warnings = ["myst.xref_missing", "ref.citation"]

autosummary_generate = True
autodoc_typehints = "none"
autodoc_default_options = {"members": True, "undoc-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

CITATION = re.compile(r"\[(\w+)\]_")


def cite_module_references(app, what, name, obj, options, lines) -> None:
    """Turn ``[1]_`` into ``[1]`` in a docstring that does not define ``.. [1]`` itself."""
    text = "\n".join(lines)
    for label in set(CITATION.findall(text)):
        if f".. [{label}]" not in text:
            lines[:] = [line.replace(f"[{label}]_", f"[{label}]") for line in lines]


def setup(app) -> None:
    """Register :func:`cite_module_references` before numpydoc renames citations."""
    app.connect("autodoc-process-docstring", cite_module_references, priority=100)


html_theme = "pydata_sphinx_theme"
html_title = "caligo_sweep"
html_theme_options = {"navigation_depth": 2, "show_toc_level": 2}
