"""Decision: outcomes are tried top to bottom and the first true one wins; otherwise the default (§5.2).

Each outcome name is a Boolean resource: true when taken, false when evaluated and not taken.
"""

from __future__ import annotations

from flowforce.engine.interview import Interview, TraceEntry
from flowforce.engine.program import Predicate, Program, Step
from flowforce.metadata.model import Decision, Rule


class Outcome:
    __slots__ = ("detail", "key", "name", "predicate", "requires_change", "step")

    def __init__(self, rule: Rule, program: Program, owner: str) -> None:
        self.name = rule.name
        self.key = rule.name.lower()
        self.predicate: Predicate = program.conditions(rule.condition_logic, rule.conditions,
                                                       rule.formula_expression)
        self.requires_change = rule.does_require_record_changed_to_meet_criteria
        self.step = program.step_for(rule.connector, owner)
        self.detail = f"outcome {rule.name} is true"

    def matches(self, iv: Interview) -> bool:
        if not self.predicate(iv):
            return False
        if self.requires_change:
            return not was_true_before(iv, self.predicate)
        return True


def was_true_before(iv: Interview, predicate: Predicate) -> bool:
    """Evaluate *predicate* with `$Record` swapped for `$Record__Prior` (no prior record: it was not true)."""
    prior = iv.values.get("$record__prior")
    if prior is None:
        return False
    current = iv.values.get("$record")
    iv.values["$record"] = prior
    try:
        return predicate(iv)
    finally:
        iv.values["$record"] = current


class DecisionStep(Step):
    pure = True

    def __init__(self, node: Decision, program: Program) -> None:
        super().__init__(node, program)
        self.decision = node
        self.outcomes: list[Outcome] = []
        self.default: Step | None = None

    def link(self) -> None:
        self.outcomes = [Outcome(rule, self.program, self.name) for rule in self.decision.rules]
        self.default = self.program.step_for(self.decision.default_connector, self.name)

    def run(self, iv: Interview) -> Step | None:
        values = iv.values
        for outcome in self.outcomes:
            values[outcome.key] = False
        for outcome in self.outcomes:
            if outcome.matches(iv):
                values[outcome.key] = True
                if iv.trace is not None:
                    iv.trace.append(TraceEntry(self.name, self.element_type, self.label, outcome.name, outcome.detail))
                return outcome.step
        if iv.trace is not None:
            label = self.decision.default_connector_label or "Default Outcome"
            iv.record(self.entry(label, "no outcome is true: default outcome"))
        return self.default
