"""Screen flows: record changes a user can repeat by going back a screen."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import RuleOptions, Violation
from flowforce.metadata import model

DML_TYPES: tuple[type[model.Node], ...] = (model.RecordCreate, model.RecordUpdate, model.RecordDelete)


def _screens_next_to(start: str, links: Mapping[str, tuple[str, ...]], screens: set[str]) -> set[str]:
    """The screens first met walking *links* from *start* (through non-screen elements only)."""
    met: set[str] = set()
    seen = {start}
    stack = list(links.get(start, ()))
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in screens:
            met.add(name)
        else:
            stack.extend(links.get(name, ()))
    return met


def duplicate_dml(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    """A screen reached after a DML that itself follows a screen: Previous, then Next, writes again."""
    graph = facts.graph
    screens = {node.name for node in facts.nodes_of(model.Screen)}
    if not screens:
        return
    forward = {name: tuple(edge.target for edge in edges) for name, edges in graph.edges.items()}
    flagged: dict[str, list[str]] = {}
    for dml in facts.nodes_of(DML_TYPES):
        if dml.name not in graph.reachable or not _screens_next_to(dml.name, graph.predecessors, screens):
            continue
        for screen in _screens_next_to(dml.name, forward, screens):
            node = facts.flow.nodes[screen]
            if isinstance(node, model.Screen) and node.allow_back and node.show_footer:
                flagged.setdefault(screen, []).append(dml.name)
    for screen, writers in flagged.items():
        yield Violation(
            screen,
            f"{screen} lets the user go back past {', '.join(writers)}, which would then write the records again",
            element=screen,
            details={"dml": writers},
        )
