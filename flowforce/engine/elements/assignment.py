"""Assignment: items run in listed order, each seeing the previous ones' results (H-ASSIGN-EL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowforce.engine.assignment_operators import OPERATORS, TargetType
from flowforce.engine.interview import Interview, TraceEntry
from flowforce.engine.program import Program, Step
from flowforce.engine.references import split_path
from flowforce.metadata.model import Assignment

Item = tuple[str, Callable[[Interview], Any], Callable[[Interview], Any], Callable[..., Any], TargetType,
             Callable[[Interview, Any], None]]


def nothing(iv: Interview) -> None:
    return None


def added_items(current: Any, value: Any, target: TargetType, base: int = 1) -> Any:
    return value


class AssignmentStep(Step):
    pure = True

    def __init__(self, node: Assignment, program: Program) -> None:
        super().__init__(node, program)
        self.items: list[Item] = []
        for item in node.assignment_items:
            operator = OPERATORS.get(item.operator)
            if operator is None:
                raise ValueError(f"unknown assignment operator {item.operator}")
            parts = split_path(item.assign_to_reference)
            variable = program.variables.get(parts[0].lower())
            target = TargetType(variable, field=len(parts) > 1)
            current = program.references.getter(item.assign_to_reference, strict=False)
            value = program.value(item.value)
            setter = program.references.setter(item.assign_to_reference)
            appender = program.references.appender(item.assign_to_reference) if item.operator == "Add" else None
            if appender is not None:  # Add to a collection: in place, only the new items coerced (O(1) a step)
                current, operator, setter = nothing, added_items, appender
            self.items.append((item.assign_to_reference, current, value, operator, target, setter))

    def run(self, iv: Interview) -> Step | None:
        base = iv.context.settings.remove_position_base
        trace = iv.trace
        if trace is None:
            for _, current, value, operator, target, setter in self.items:
                setter(iv, operator(current(iv), value(iv), target, base))
            return self.next
        changes: dict[str, Any] = {}
        for reference, current, value, operator, target, setter in self.items:
            # as stored: the setter may round to scale or coerce
            changes[reference] = setter(iv, operator(current(iv), value(iv), target, base))
        trace.append(TraceEntry(self.name, self.element_type, self.label, None, None, changes))
        return self.next
