"""Salesforce Flow Test files as pytest items: `pytest force-app` runs each `*.flowtest-meta.xml` against one
org of its project per session (each test rolls its work back), reporting failures as `flowforce test` does."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowforce.testing.flowtests.model import parse_flow_test

_ORGS = pytest.StashKey[dict[Path, Any]]()


def project_of(path: Path) -> Path:
    """The nearest folder above *path* holding `sfdx-project.json` (else the file's grandparent folder)."""
    for folder in path.parents:
        if (folder / "sfdx-project.json").exists():
            return folder
    return path.parent.parent


class FlowTestFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        test = parse_flow_test(self.path)
        yield FlowTestItem.from_parent(self, name=test.full_name, test=test)


class FlowTestItem(pytest.Item):
    def __init__(self, *, test: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.test = test

    def runtest(self) -> None:
        from flowforce.testing.flowtests import run_flow_test
        from flowforce.testing.flowtests.report import failure_text

        outcome = run_flow_test(org_for(self.config, project_of(self.path)), self.test)
        if not outcome.passed:
            raise FlowTestFailed(failure_text(outcome))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, FlowTestFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"flow test {self.test.full_name}"


class FlowTestFailed(AssertionError):
    """A flow test's assertions failed or its flow faulted; the message is the whole report."""


def org_for(config: pytest.Config, project: Path) -> Any:
    """One org per project for the session, over a throw-away SQLite file (or the configured database)."""
    from flowforce.runtime import open_project

    orgs = config.stash.setdefault(_ORGS, {})
    if project not in orgs:
        base = config.getoption("--flowforce-database") or config.getini("flowforce_database")
        url = base or f"sqlite:///{Path(tempfile.mkdtemp(prefix='flowforce-flowtests-')) / 'org.db'}"
        orgs[project] = open_project(project, url, worker_threads=0, flow_refresh_seconds=0.0)
        config.add_cleanup(orgs[project].close)
    return orgs[project]
