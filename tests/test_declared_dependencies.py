"""Every third-party module the code, tests and bench scripts import is declared in pyproject.toml (issue 9 item
12: the suite once imported jsonschema and referencing undeclared and passed only where they happened to be)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("flowforce", "tests", "bench", "examples")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values()
                                                for r in extra)]
    return {normalized(re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0]) for requirement in requirements}


def ours(folder: str, pattern: str) -> list[Path]:
    """Files of *folder*, without the Node packages tests/clients installs (node-gyp ships Python scripts)."""
    return [path for path in (ROOT / folder).rglob(pattern) if "node_modules" not in path.parts]


def local_names() -> set[str]:
    names = {"flowforce", *SOURCES}
    for folder in SOURCES:
        for path in ours(folder, "*"):
            if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()):
                names.add(path.stem)
    return names


def imported_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in SOURCES:
        for path in ours(folder, "*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], path)
    return found


def test_every_imported_third_party_module_is_declared() -> None:
    distributions = packages_distributions()
    wanted, local = declared(), local_names()
    undeclared = {}
    for module, path in imported_modules().items():
        if module in sys.stdlib_module_names or module in local or module == "__future__":
            continue
        owners = {normalized(d) for d in distributions.get(module, [module])}
        if not owners & wanted:
            undeclared[module] = str(path.relative_to(ROOT))
    assert undeclared == {}
