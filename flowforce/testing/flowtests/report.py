"""Flow test results in `sf flow run test`'s formats — human, tap, junit, json — plus code coverage (the share
of each flow's elements the tests visited). Unlike the CLI (forcedotcom/cli#3447), a failed assertion always
shows its message, the values compared and the interview's path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from flowforce.testing.flowtests.run import FlowTestOutcome


@dataclass(frozen=True)
class Coverage:
    flow: str
    visited: frozenset[str]
    elements: frozenset[str]

    @property
    def percent(self) -> int:
        return round(100 * len(self.visited) / len(self.elements)) if self.elements else 100

    @property
    def uncovered(self) -> list[str]:
        return sorted(self.elements - self.visited)


def coverage(outcomes: Sequence[FlowTestOutcome]) -> list[Coverage]:
    by_flow: dict[str, tuple[set[str], set[str]]] = {}
    for outcome in outcomes:
        visited, elements = by_flow.setdefault(outcome.test.flow_api_name, (set(), set()))
        visited |= outcome.visited
        elements |= outcome.elements
    return [Coverage(flow, frozenset(visited), frozenset(elements))
            for flow, (visited, elements) in sorted(by_flow.items())]


def failure_text(outcome: FlowTestOutcome) -> str:
    """Everything about one failed test: the error, each failed assertion's message and comparison, the trace."""
    lines: list[str] = []
    if outcome.error:
        lines.append(outcome.error)
    for failed in outcome.failures:
        lines.append(f"{failed.where} assertion failed: {failed.message}")
        if failed.assertion.error_message:
            lines.extend(f"    {compared}" for compared in failed.compared)
    if outcome.result is not None and outcome.result.trace:
        lines.append(outcome.result.explain())
    return "\n".join(lines)


def summary(outcomes: Sequence[FlowTestOutcome], started: dt.datetime) -> dict[str, Any]:
    passing = sum(outcome.passed for outcome in outcomes)
    total = len(outcomes)
    return {
        "outcome": "Passed" if passing == total else "Failed",
        "testsRan": total, "passing": passing, "failing": total - passing, "skipped": 0,
        "passRate": f"{round(100 * passing / total) if total else 100}%",
        "failRate": f"{round(100 * (total - passing) / total) if total else 0}%",
        "testStartTime": started.isoformat(timespec="milliseconds"),
        "testExecutionTime": f"{round(sum(outcome.duration_ms for outcome in outcomes))} ms",
    }


def as_json(outcomes: Sequence[FlowTestOutcome], started: dt.datetime, *, with_coverage: bool) -> dict[str, Any]:
    """The shape of `sf flow run test --json`'s `result` (UNCONFIRMED in its details: field names follow the
    CLI's Apex test result, which the flow test command reuses)."""
    result: dict[str, Any] = {
        "summary": summary(outcomes, started),
        "tests": [{"FullName": outcome.test.full_name, "FlowApiName": outcome.test.flow_api_name,
                   "TestName": outcome.test.name, "Outcome": "Pass" if outcome.passed else "Fail",
                   "Message": None if outcome.passed else failure_text(outcome).splitlines()[0],
                   "Assertions": [{"Where": check.where, "Passed": check.passed, "Message": check.message,
                                   "Compared": check.compared} for check in outcome.assertions],
                   "RunTime": round(outcome.duration_ms)} for outcome in outcomes],
    }
    if with_coverage:
        result["coverage"] = [{"flow": item.flow, "percent": item.percent, "covered": sorted(item.visited),
                               "uncovered": item.uncovered} for item in coverage(outcomes)]
    return result


def as_tap(outcomes: Sequence[FlowTestOutcome]) -> str:
    lines = [f"1..{len(outcomes)}"]
    for number, outcome in enumerate(outcomes, 1):
        lines.append(f"{'ok' if outcome.passed else 'not ok'} {number} {outcome.test.full_name}")
        if not outcome.passed:
            lines.extend(f"# {line}" for line in failure_text(outcome).splitlines())
    return "\n".join(lines) + "\n"


def as_junit(outcomes: Sequence[FlowTestOutcome], started: dt.datetime) -> str:
    failing = sum(not outcome.passed for outcome in outcomes)
    seconds = sum(outcome.duration_ms for outcome in outcomes) / 1000
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>",
             f'    <testsuite name="force.flow" timestamp={quoteattr(started.isoformat(timespec="seconds"))} '
             f'tests="{len(outcomes)}" failures="{failing}" errors="0" skipped="0" time="{seconds:.3f}">']
    for outcome in outcomes:
        head = (f'        <testcase name={quoteattr(outcome.test.name)} '
                f'classname={quoteattr(outcome.test.flow_api_name)} time="{outcome.duration_ms / 1000:.3f}"')
        if outcome.passed:
            lines.append(head + "/>")
            continue
        text = failure_text(outcome)
        failure = f"<failure message={quoteattr(text.splitlines()[0])}>{escape(text)}</failure>"
        lines += [head + ">", f"            {failure}", "        </testcase>"]
    lines += ["    </testsuite>", "</testsuites>"]
    return "\n".join(lines) + "\n"
