"""What the code imports is declared in pyproject.toml, and what is declared is imported (or named
there as loaded by another package)."""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import ROOT

# Declared and used without an import of their own: the reason is beside each in pyproject.toml.
LOADED_BY_OTHERS = {"psycopg", "jinja2", "vnfaker", "vietnamadminunits"}  # the last two: data files read


def _imported(folders: tuple[str, ...]) -> set[str]:
    names = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    distributions = packages_distributions()
    return {_key(d) for name in names - set(sys.stdlib_module_names) - {"pipeline", "catalog", "tests"}
            for d in distributions.get(name, [name])}


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared(requirements: list[str]) -> set[str]:
    return {_key(re.match(r"[A-Za-z0-9_.-]+", r).group(0)) for r in requirements}


def test_the_product_imports_what_it_declares_and_declares_what_it_imports():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared, imported = _declared(project["dependencies"]), _imported(("pipeline", "catalog"))
    assert imported - declared == set(), "imported, not declared"
    assert declared - imported - {_key(n) for n in LOADED_BY_OTHERS} == set(), "declared, never imported"


def test_the_tests_import_only_what_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    declared = _declared(project["dependencies"] + project["optional-dependencies"]["test"])
    assert _imported(("tests",)) - declared == set()
