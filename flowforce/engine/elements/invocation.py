"""What subflows and actions share: evaluating inputs per interview and storing outputs.

Both are bulk: the whole group of interviews at the element is handed over at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flowforce.engine.faults import ElementFault
from flowforce.engine.interview import Interview
from flowforce.engine.program import Outcome, Program, Step

Binding = tuple[str, Callable[[Interview], Any]]


class OutputBinder:
    """Stores a child's/action's outputs: named assignments, or all of them under the element name."""

    def __init__(self, program: Program, key: str, pairs: Sequence[tuple[str, str]], automatic: bool) -> None:
        self.key = key
        self.automatic = automatic
        self.assignments = [(source, program.references.setter(target)) for source, target in pairs]

    def store(self, iv: Interview, outputs: Mapping[str, Any]) -> dict[str, Any]:
        folded = {name.lower(): value for name, value in outputs.items()}
        changes: dict[str, Any] = {}
        for source, setter in self.assignments:
            value = folded.get(source.lower())
            setter(iv, value)
            changes[source] = value
        if self.automatic:
            iv.values[self.key] = dict(outputs)
            changes.update(outputs)
        return changes


def evaluate_inputs(step: Step, bindings: Sequence[Binding], interviews: Sequence[Interview]
                    ) -> tuple[list[Interview], list[dict[str, Any]], dict[int, Outcome]]:
    """Inputs for every interview; an interview whose inputs fault is left out with its fault."""
    ready: list[Interview] = []
    requests: list[dict[str, Any]] = []
    faults: dict[int, Outcome] = {}
    for iv in interviews:
        try:
            requests.append({name: getter(iv) for name, getter in bindings})
            ready.append(iv)
        except ElementFault as fault:
            faults[id(iv)] = fault
    return ready, requests, faults


def merge_outcomes(interviews: Sequence[Interview], done: dict[int, Outcome]) -> list[Outcome]:
    return [done[id(iv)] for iv in interviews]
