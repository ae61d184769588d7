"""The flow's shape: a way in, elements nothing leads to, variables nothing reads or writes."""

from __future__ import annotations

from collections.abc import Iterator

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import RuleOptions, Violation


def missing_start_reference(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    if facts.graph.entries:
        return
    flow = facts.flow
    target = flow.start_target
    why = (
        f"the start points to {target}, which does not exist" if target
        else "the start is not connected to any element" if flow.nodes
        else "the flow has no element after the start"
    )
    yield Violation("undefined", f"{why}, so the flow cannot run", tag="start" if flow.start else None)


def unreachable_element(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    graph = facts.graph
    if not graph.entries:
        return  # missing-start-reference says why nothing is reachable
    for name, node in facts.flow.nodes.items():
        if name not in graph.reachable:
            yield Violation(name, f"{name} ({node.ELEMENT_TYPE}) is not connected to the start, so it never runs",
                            element=name)


def unused_variable(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    for name in facts.flow.variables:
        if not facts.users_of(name):
            yield Violation(name, f"the variable {name} is never referenced", element=name)
