"""Work done once per loop item: queries, DML and actions in a loop's body, and loops a Transform would do.

"In the loop" means on a path from the loop's next-value connector back to the loop (lint/graph.py), so a Get
Records behind a decision inside the loop counts, and one on a branch that leaves the loop does not.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import BACK_END, RuleOptions, Violation
from flowforce.metadata import model

DML_TYPES: tuple[type[model.Node], ...] = (model.RecordCreate, model.RecordUpdate, model.RecordDelete)
QUERY_TYPES: tuple[type[model.Node], ...] = (model.RecordLookup,)
ACTION_TYPES: tuple[type[model.Node], ...] = (model.ActionCall, model.ApexPluginCall)
LOOP_RULE_TYPES = BACK_END


def _in_loops(facts: FlowFacts, kinds: tuple[type[model.Node], ...], what: str) -> Iterator[Violation]:
    graph = facts.graph
    for node in facts.nodes_of(kinds):
        loops = graph.loops_around(node.name)
        if loops:
            innermost = loops[-1]
            yield Violation(
                node.name,
                f"{node.name} {what} once per item of the loop {innermost}",
                element=node.name,
                details={"loop": innermost, "loops": loops},
            )


def dml_in_loop(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    return _in_loops(facts, DML_TYPES, "writes records (a DML statement)")


def soql_in_loop(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    return _in_loops(facts, QUERY_TYPES, "runs a SOQL query")


def action_call_in_loop(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    return _in_loops(facts, ACTION_TYPES, "calls an action")


def transform_instead_of_loop(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    """A loop whose each item goes straight into an Assignment is what a Transform element does in bulk."""
    for loop in facts.nodes_of(model.Loop):
        target = loop.next_value_connector.target_reference if loop.next_value_connector else None
        node = facts.flow.nodes.get(target) if target else None
        if isinstance(node, model.Assignment):
            yield Violation(
                loop.name,
                f"the loop {loop.name} feeds each item straight into the assignment {node.name}; "
                f"a Transform element maps a collection in one step",
                element=loop.name,
                details={"assignment": node.name},
            )
