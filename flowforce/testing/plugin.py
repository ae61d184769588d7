"""The pytest plugin (entry point `pytest11: flowforce`): an `org` fixture per test, for a project folder.

Which project: the nearest of `@pytest.mark.flowforce(project=...)` on the test, a module-level
`flowforce_project = "..."`, the `--flowforce-project` option, the `flowforce_project` ini setting (pytest.ini
or `[tool.pytest.ini_options]`), else the current directory. Which database: `--flowforce-database` /
`flowforce_database` — a SQLite file per test by default, or a PostgreSQL URL (a schema per test).

Only tests that ask for `org` pay for it; loading the plugin imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from flowforce.testing.org import TestOrg


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flowforce")
    group.addoption("--flowforce-project", help="SFDX project folder the `org` fixture loads")
    group.addoption("--flowforce-database", help="database URL for test orgs (default: a SQLite file per test)")
    parser.addini("flowforce_project", "SFDX project folder the `org` fixture loads")
    parser.addini("flowforce_database", "database URL for test orgs (default: a SQLite file per test)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "flowforce(project=None, **settings): the project and settings of `org`")


def _project(request: pytest.FixtureRequest) -> Path:
    marker = request.node.get_closest_marker("flowforce")
    chosen = marker.kwargs.get("project") if marker is not None else None
    chosen = chosen or getattr(request.module, "flowforce_project", None)
    chosen = chosen or request.config.getoption("--flowforce-project") or request.config.getini("flowforce_project")
    if not chosen:
        return Path.cwd()
    path = Path(chosen)
    if not path.is_absolute():  # relative to where it was written: the module, or the rootdir
        base = Path(str(request.module.__file__)).parent if getattr(request.module, "flowforce_project", None) \
            and not (marker and marker.kwargs.get("project")) else request.config.rootpath
        path = (base / path).resolve()
    return path


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Salesforce Flow Test files become items (see `flowforce.testing.collect`)."""
    if file_path.name.endswith(".flowtest-meta.xml"):
        from flowforce.testing.collect import FlowTestFile

        return FlowTestFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture
def org(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestOrg]:
    """A fresh org per test: the project's flows and objects over an empty store."""
    from flowforce.testing.databases import scratch_database
    from flowforce.testing.org import TestOrg

    marker = request.node.get_closest_marker("flowforce")
    settings: dict[str, Any] = {key: value for key, value in (marker.kwargs if marker else {}).items()
                                if key != "project"}
    base = request.config.getoption("--flowforce-database") or request.config.getini("flowforce_database")
    with scratch_database(base or None, tmp_path) as url:
        opened = TestOrg.open(_project(request), url, **settings)
        try:
            yield opened
        finally:
            opened.close()
