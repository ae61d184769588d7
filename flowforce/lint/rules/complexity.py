"""How hard a flow is to follow: independent paths (cyclomatic) and nesting (cognitive)."""

from __future__ import annotations

from collections.abc import Iterator

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import RuleOptions, Violation
from flowforce.metadata import model

DEFAULT_CYCLOMATIC_THRESHOLD = 25
DEFAULT_COGNITIVE_THRESHOLD = 15


def cyclomatic_complexity(facts: FlowFacts) -> int:
    """The scanner's measure: 1, plus outcomes + 1 per decision, plus 1 per loop."""
    decisions = facts.nodes_of(model.Decision)
    return 1 + sum(len(decision.rules) + 1 for decision in decisions) + len(facts.nodes_of(model.Loop))


def cognitive_complexity(facts: FlowFacts) -> int:
    """Each loop and decision costs 1 plus the loops around it; each outcome past the first costs 1 more."""
    graph = facts.graph
    total = 0
    for node in facts.nodes_of((model.Loop, model.Decision)):
        total += 1 + graph.nesting_depth(node.name)
        if isinstance(node, model.Decision):
            total += max(len(node.rules) - 1, 0)
    return total


def excessive_cyclomatic_complexity(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    threshold = options.threshold if options.threshold is not None else DEFAULT_CYCLOMATIC_THRESHOLD
    value = cyclomatic_complexity(facts)
    if value > threshold:
        yield Violation(
            str(value), f"the cyclomatic complexity is {value} (more than {threshold}); split the flow into subflows",
            details={"complexity": value, "threshold": threshold},
        )


def excessive_cognitive_complexity(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    threshold = options.threshold if options.threshold is not None else DEFAULT_COGNITIVE_THRESHOLD
    value = cognitive_complexity(facts)
    if value > threshold:
        yield Violation(
            str(value), f"the cognitive complexity is {value} (more than {threshold}): loops and decisions nest "
            f"deeply; move the inner logic into subflows",
            details={"complexity": value, "threshold": threshold},
        )
