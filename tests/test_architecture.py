"""The package's rooms and what they may import.

- ``text/`` is the pure core: text in, records out; it imports neither the loader nor the
  site, nor any database or Datasette module;
- ``tables.py`` declares the tables for both rooms and imports nothing of the package;
- ``build/`` (the loader) and ``site/`` (what Datasette serves) stand on ``text`` and
  ``tables``, never on each other;
- every module imported from outside the standard library is a declared dependency.
"""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "datasette_ukraine_briefs"
NAME = PACKAGE.name
ROOMS = ("text", "build", "site")
# What each part of the package may import from the package itself.
ALLOWED = {
    "text": {"text"},
    "tables": set(),
    "build": {"build", "text", "tables"},
    "site": {"site", "text", "tables"},
    "hooks": {"site"},  # __init__.py: the Datasette hooks, calling into the site
}
# Pure means no database and no web framework.
NOT_IN_THE_CORE = {"datasette", "sqlite3", "sqlite_utils"}


def part_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    if relative == Path("__init__.py"):
        return "hooks"
    return relative.parts[0].removesuffix(".py")


def imports(path: Path) -> list[str]:
    """Every module a file imports, relative imports made absolute."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    package = (NAME, *parts[:-1])  # the package a module (or an __init__) is in
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1])
            if node.module:
                found.append(f"{base}.{node.module}")
            else:  # "from . import x" imports the module x
                found.extend(f"{base}.{alias.name}" for alias in node.names)
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_three_rooms_over_the_table_declaration():
    assert {part_of(path) for path in SOURCES} == {"hooks", "tables", *ROOMS}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_down(path):
    part = part_of(path)
    for name in imports(path):
        if name == NAME or name.startswith(NAME + "."):
            target = name.split(".")[1] if "." in name else "hooks"
            assert target in ALLOWED[part], f"{path.relative_to(ROOT)} ({part}) imports {name}"
        elif part == "text":
            assert name.split(".")[0] not in NOT_IN_THE_CORE, f"{path.relative_to(ROOT)} imports {name}"


def test_the_checker_sees_relative_imports():
    assert f"{NAME}.text.people" in imports(PACKAGE / "site" / "sql_functions.py")
    assert f"{NAME}.site" in imports(PACKAGE / "__init__.py")
    assert f"{NAME}.tables" in imports(PACKAGE / "build" / "schema.py")


def declared_distributions() -> set[str]:
    """The distributions the installed package requires, extras left out."""
    requirements = importlib.metadata.requires("datasette-ukraine-briefs") or []
    names = {re.match(r"[A-Za-z0-9_.-]+", r).group() for r in requirements if "extra ==" not in r}
    return {re.sub(r"[-_.]+", "-", name).lower() for name in names}


def test_every_module_the_package_imports_is_a_declared_dependency():
    providers = importlib.metadata.packages_distributions()
    declared = declared_distributions()
    for path in SOURCES:
        for name in imports(path):
            top = name.split(".")[0]
            if top == NAME or top in sys.stdlib_module_names or top == "__future__":
                continue
            distributions = {re.sub(r"[-_.]+", "-", d).lower() for d in providers.get(top, [])}
            assert distributions & declared, f"{path.relative_to(ROOT)} imports {top}, which no declared dependency provides"
