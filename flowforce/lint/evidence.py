"""Runtime evidence: what running a flow showed, and the findings it supports.

The static rules say what might happen; this pass says what did, per generated input: SOQL queries and DML
statements counted by the transaction's governor limits, how many times each element ran in one interview,
faults taken (caught by a fault path or not), values read while null, and elements no input reached. An
`EvidenceSource` gathers `FlowEvidence` (flowforce.lint.runtime does it through the runtime's `Org`); the rules
below turn it into findings with origin "run", beside the static ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flowforce.engine.faults import not_set_message
from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import Rule, Violation
from flowforce.lint.rules import GOVERNOR_LIMIT, NOT_VISITED, RULES_BY_ID, loops
from flowforce.lint.scan import LintReport, add_run_findings
from flowforce.metadata import model
from flowforce.metadata.project import LoadedFlow

# The engine's own wording for reading a field of a null record (one home: engine/faults.py).
_BEFORE, _AFTER = not_set_message("\x00").split("\x00")
_NOT_SET = re.compile(f"{re.escape(_BEFORE)}(?P<reference>.+?){re.escape(_AFTER)}")


@dataclass(frozen=True)
class FaultSeen:
    element: str
    message: str
    handled: bool


@dataclass(frozen=True)
class InputRun:
    """One generated input, run alone in its own transaction (rolled back)."""

    label: str
    inputs: Mapping[str, Any]
    status: str
    soql_queries: int = 0
    dml_statements: int = 0
    dml_rows: int = 0
    visits: Mapping[str, int] = field(default_factory=dict)
    faults: tuple[FaultSeen, ...] = ()
    failure: FaultSeen | None = None
    limit_error: str | None = None
    input_error: str | None = None
    #: The run stopped where flowforce lacks what the org has (an Apex action, a custom object): not a finding.
    blocked: str | None = None
    #: Record-triggered flows: how deep the trigger firings nested (1: the flow's own save, no re-entry).
    trigger_depth: int | None = None


@dataclass(frozen=True)
class FlowEvidence:
    flow: str
    version: int
    runs: tuple[InputRun, ...] = ()
    #: Why the flow was not run (not headless, record-triggered, an InvalidDraft, …).
    skipped: str | None = None

    @property
    def visited(self) -> set[str]:
        return {name for run in self.runs for name, count in run.visits.items() if count}


class EvidenceSource(Protocol):
    def gather(self, loaded: LoadedFlow) -> FlowEvidence: ...


# ---------------------------------------------------------------------------------------------- rules

EvidenceCheck = Callable[[FlowFacts, FlowEvidence], Iterator[tuple[Rule, Violation]]]


def _per_item(kinds: tuple[type[model.Node], ...], rule_id: str, what: str) -> EvidenceCheck:
    """Elements of *kinds* that ran more than once in one interview: measured per-item work."""
    def check(facts: FlowFacts, evidence: FlowEvidence) -> Iterator[tuple[Rule, Violation]]:
        for node in facts.nodes_of(kinds):
            worst = max(evidence.runs, key=lambda run: run.visits.get(node.name, 0), default=None)
            count = worst.visits.get(node.name, 0) if worst is not None else 0
            if worst is None or count < 2:
                continue
            yield RULES_BY_ID[rule_id], Violation(
                node.name,
                f"{node.name} ran {count} times in one interview for the {worst.label} input ({what}); the "
                f"transaction used {worst.soql_queries} SOQL queries and {worst.dml_statements} DML statements",
                element=node.name,
                details={"input": worst.label, "runs": count, "soqlQueries": worst.soql_queries,
                         "dmlStatements": worst.dml_statements, "dmlRows": worst.dml_rows},
            )
    return check


def _unhandled_faults(facts: FlowFacts, evidence: FlowEvidence) -> Iterator[tuple[Rule, Violation]]:
    seen: set[str] = set()
    for run in evidence.runs:
        failure = run.failure
        if failure is None or run.blocked or failure.element in seen:
            continue
        seen.add(failure.element)
        null = _NOT_SET.search(failure.message)
        rule = RULES_BY_ID["missing-null-handler" if null else "missing-fault-path"]
        what = f"read {null['reference']} while it was null" if null else "failed"
        yield rule, Violation(
            failure.element,
            f"{failure.element} {what} for the {run.label} input and nothing caught it: {failure.message}",
            element=failure.element,
            details={"input": run.label, "fault": failure.message},
        )


def _limits(facts: FlowFacts, evidence: FlowEvidence) -> Iterator[tuple[Rule, Violation]]:
    for run in evidence.runs:
        if run.limit_error:
            yield GOVERNOR_LIMIT, Violation(
                run.limit_error, f"the {run.label} input hit a governor limit: {run.limit_error}",
                tag="start", details={"input": run.label},
            )


def _recursion(facts: FlowFacts, evidence: FlowEvidence) -> Iterator[tuple[Rule, Violation]]:
    """A save whose trigger firings nested: the flow's own DML saved records that fired flows again."""
    deepest = max((run for run in evidence.runs if run.trigger_depth), key=lambda run: run.trigger_depth or 0,
                  default=None)
    if deepest is None or (deepest.trigger_depth or 0) < 2:
        return
    yield RULES_BY_ID["recursive-record-update"], Violation(
        "start", f"the {deepest.label} nested trigger firings {deepest.trigger_depth} deep (the flow's own save "
        f"fired flows again); the save used {deepest.soql_queries} SOQL queries and {deepest.dml_statements} DML "
        f"statements", tag="start",
        details={"input": deepest.label, "triggerDepth": deepest.trigger_depth, "soqlQueries": deepest.soql_queries,
                 "dmlStatements": deepest.dml_statements, "dmlRows": deepest.dml_rows},
    )


def _not_visited(facts: FlowFacts, evidence: FlowEvidence) -> Iterator[tuple[Rule, Violation]]:
    if not evidence.runs or any(run.input_error or run.blocked or run.limit_error or run.trigger_depth is not None
                                for run in evidence.runs):
        return  # a run that could not go its whole way says nothing about what it did not reach
    visited = evidence.visited
    for name in facts.flow.nodes:
        if name in facts.graph.reachable and name not in visited:
            yield NOT_VISITED, Violation(
                name, f"{name} ran for none of the {len(evidence.runs)} generated inputs "
                f"({', '.join(run.label for run in evidence.runs)})", element=name,
            )


EVIDENCE_CHECKS: tuple[EvidenceCheck, ...] = (
    _per_item(loops.QUERY_TYPES, "soql-in-loop", "one SOQL query each time"),
    _per_item(loops.DML_TYPES, "dml-in-loop", "one DML statement each time"),
    _per_item(loops.ACTION_TYPES, "action-call-in-loop", "one action call each time"),
    _unhandled_faults,
    _limits,
    _recursion,
    _not_visited,
)


def evidence_violations(facts: FlowFacts, evidence: FlowEvidence) -> Iterator[tuple[Rule, Violation]]:
    for check in EVIDENCE_CHECKS:
        yield from check(facts, evidence)


def gather_evidence(report: LintReport, source: EvidenceSource) -> None:
    """Run every linted flow version through *source* and file what it shows as findings (origin "run")."""
    for entry in report.flows:
        if entry.ignored or entry.loaded is None or entry.facts is None:
            continue
        evidence = source.gather(entry.loaded)
        report.evidence.append(evidence)
        add_run_findings(report, entry, evidence_violations(entry.facts, evidence))
