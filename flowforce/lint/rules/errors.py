"""Elements that can fail without a fault path to catch it."""

from __future__ import annotations

from collections.abc import Iterator

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import RuleOptions, Violation
from flowforce.metadata import model

FAULTABLE = (
    model.RecordLookup, model.RecordCreate, model.RecordUpdate, model.RecordDelete, model.Wait, model.ActionCall,
    model.ApexPluginCall,
)
# A Wait that only pauses for a time or a date has nothing to fail.
TIMER_WAITS = frozenset({"WaitDuration", "WaitDate"})


def missing_fault_path(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    graph = facts.graph
    before_save = facts.trigger_type == "RecordBeforeSave"
    for node in facts.flow.nodes.values():
        if not isinstance(node, FAULTABLE) or node.name not in graph.reachable or node.fault_connector is not None:
            continue
        if isinstance(node, model.Wait) and node.element_subtype in TIMER_WAITS:
            continue
        if before_save and isinstance(node, model.RecordUpdate):
            continue  # the before-save update of $Record is a field assignment, not a DML statement
        if node.name in graph.on_fault_paths:
            # LFS#306: Flow Builder does not let an element on a fault path have a fault path of its own.
            continue
        yield Violation(
            node.name,
            f"{node.name} ({node.ELEMENT_TYPE}) has no fault path: an error here ends the interview "
            f"with an unhandled fault",
            element=node.name,
        )
