"""Salesforce Flow Tests (`flowtests/*.flowtest-meta.xml`) run offline: read, select, run, report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flowforce.testing.flowtests.model import FlowTest, FlowTestParseError, find_flow_tests, parse_flow_test
from flowforce.testing.flowtests.run import FlowTestOutcome, run_flow_test

if TYPE_CHECKING:
    from flowforce.runtime.org import Org

__all__ = ["FlowTest", "FlowTestOutcome", "FlowTestParseError", "parse_flow_test", "run_flow_test",
           "run_flow_tests", "select_flow_tests"]


def select_flow_tests(project_dir: Path, *, tests: Iterable[str] = (), flows: Iterable[str] = ()) -> list[FlowTest]:
    """The project's flow tests, narrowed to `Flow.Test` names (`-t`) and flow API names (`--flow`), as
    `sf flow run test` narrows them. Names are matched without regard to case."""
    wanted_tests = {name.lower() for name in tests}
    wanted_flows = {name.lower() for name in flows}
    chosen = []
    for path in find_flow_tests(project_dir):
        test = parse_flow_test(path)
        if wanted_tests and test.full_name.lower() not in wanted_tests and test.name.lower() not in wanted_tests:
            continue
        if wanted_flows and test.flow_api_name.lower() not in wanted_flows:
            continue
        chosen.append(test)
    return chosen


def run_flow_tests(org: Org, tests: Sequence[FlowTest],
                   on_done: Callable[[FlowTestOutcome], None] | None = None) -> list[FlowTestOutcome]:
    outcomes = []
    for test in tests:
        outcome = run_flow_test(org, test)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return outcomes
