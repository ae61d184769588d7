"""Shared reference and value checks, used by the flow-level and per-element validation.

A `Checker` carries one flow's resource index and the optional outside knowledge (schema, action registry,
other flows) and collects problems. Each helper takes the element name and a short description of the role
(`"the assignment target"`), so every message names the element and what is wrong in the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flowforce.metadata import model
from flowforce.metadata.enums import (
    COMPARISON_OPERATORS,
    ELEMENT_OPERATORS,
    NUMERIC_TYPES,
    RECORD_FILTER_OPERATORS,
    TEXT_TYPES,
)
from flowforce.metadata.formulas import check_formula
from flowforce.metadata.logic import FORMULA_LOGIC, ConditionLogicError, parse_condition_logic
from flowforce.metadata.problems import Problem, error, warning
from flowforce.metadata.references import (
    ResourceIndex,
    ResourceInfo,
    ResourceKind,
    Unresolved,
    check_field_path,
    merge_field_references,
)

#: Kinds whose name can never be the target of an assignment or output.
READ_ONLY_KINDS = {
    ResourceKind.CONSTANT: "a constant",
    ResourceKind.FORMULA: "a formula",
    ResourceKind.TEXT_TEMPLATE: "a text template",
    ResourceKind.CHOICE: "a choice",
    ResourceKind.CHOICE_SET: "a choice set",
    ResourceKind.OUTCOME: "a decision outcome",
    ResourceKind.WAIT_EVENT: "a wait event",
    ResourceKind.CREATED_ID: "the Id output of a Create Records element",
}


class Checker:
    def __init__(
        self,
        flow: model.Flow,
        *,
        schema: Any = None,
        actions: Any = None,
        known_flows: Iterable[str] | None = None,
    ) -> None:
        self.flow = flow
        self.index = ResourceIndex.for_flow(flow)
        self.schema = schema
        self.actions = actions
        self.known_flows = None if known_flows is None else {name.lower() for name in known_flows}
        self.problems: list[Problem] = []
        self.unknown_objects: dict[str, None] = {}  # ordered set: one warning per object, not per use
        self.formulas_fully_checked = True

    # ------------------------------------------------------------------------------------------ reporting

    def error(self, element: str | None, message: str) -> None:
        self.problems.append(error(element, message))

    def warning(self, element: str | None, message: str) -> None:
        self.problems.append(warning(element, message))

    # ------------------------------------------------------------------------------------------ references

    def read(self, element: str | None, reference: str | None, what: str) -> ResourceInfo | None:
        """Check that *reference* resolves; report an error naming *what* it is when it does not."""
        if reference is None or not reference.strip():
            self.error(element, f"{what} is empty")
            return None
        resolved = self.index.resolve(reference)
        if isinstance(resolved, Unresolved):
            self.error(element, f"{what}: {resolved}")
            return None
        if resolved.kind is ResourceKind.FIELD and resolved.object_type:
            self.field_path(
                element, resolved.object_type, resolved.field_path, f"{what}: {reference.strip()}:"
            )
        return resolved

    def write(self, element: str | None, reference: str | None, what: str) -> ResourceInfo | None:
        info = self.read(element, reference, what)
        if info is None:
            return None
        read_only = READ_ONLY_KINDS.get(info.kind)
        if read_only is not None:
            self.error(element, f"{what}: {info.name} is {read_only} and cannot be assigned")
            return None
        if info.kind is ResourceKind.GLOBAL and not info.writable and not info.field_path:
            self.error(element, f"{what}: {info.name} is a read-only global variable")
            return None
        if info.name.lower().startswith("$record__prior"):
            self.error(element, f"{what}: $Record__Prior is read-only")
            return None
        return info

    def text(self, element: str | None, text: str | None, what: str) -> None:
        """Every `{!merge}` field in *text* must resolve (text templates, string values, messages)."""
        for reference in merge_field_references(text):
            self.read(element, reference, f"the merge field {{!{reference}}} in {what}")

    def formula(
        self, element: str | None, expression: str | None, data_type: str | None, scale: int | None, what: str
    ) -> None:
        if expression is None or not expression.strip():
            self.error(element, f"{what} is empty")
            return
        result = check_formula(expression, data_type, scale)
        self.formulas_fully_checked &= result.fully_checked
        if result.error is not None:
            self.error(element, f"{what} does not compile: {result.error}")
        for reference in result.references:
            self.read(element, reference, f"the reference {reference} in {what}")

    def value(self, element: str | None, value: model.FlowValue | None, what: str) -> ResourceInfo | None:
        """Check a `FlowElementReferenceOrValue`; returns the referenced resource when it is a reference."""
        if value is None:
            return None
        if value.kind is model.ValueKind.REFERENCE:
            return self.read(element, value.text, what)
        if value.kind is model.ValueKind.STRING:
            self.text(element, value.text, what)
        elif value.kind is model.ValueKind.FORMULA:
            self.formula(element, value.text, value.formula_data_type, None, f"the formula in {what}")
        return None

    # ------------------------------------------------------------------------------------------ schema

    def known_object(self, element: str | None, object_name: str | None) -> bool:
        """True when fields of *object_name* can be checked; unknown objects are one warning per flow."""
        if self.schema is None or not object_name:
            return False
        if self.schema.has(object_name):
            return True
        self.unknown_objects[object_name] = None
        return False

    def field_path(self, element: str | None, object_name: str, path: tuple[str, ...], prefix: str) -> None:
        if not self.known_object(element, object_name):
            return
        problem = check_field_path(self.schema, object_name, path)
        if problem is not None:
            self.warning(element, f"{prefix} {problem}" if prefix else problem)

    def object_field(self, element: str, object_name: str | None, field: str | None, role: str) -> None:
        """A field named directly on a data element (`<field>`, `<sortField>`, `<queriedFields>`)."""
        if not field or not object_name:
            return
        self.field_path(element, object_name, tuple(field.split(".")), f"the {role}")

    # ------------------------------------------------------------------------------------------ shared shapes

    def logic(self, element: str, logic: str | None, count: int, what: str) -> None:
        if (logic or "").strip().lower() == FORMULA_LOGIC:
            return
        try:
            parse_condition_logic(logic, count)
        except ConditionLogicError as problem:
            self.error(element, f"{what}: {problem}")

    def conditions(
        self,
        element: str,
        conditions: tuple[model.Condition, ...],
        logic: str | None,
        what: str,
        formula: str | None = None,
    ) -> None:
        """Decision outcomes, wait events and collection filters share conditions and custom logic."""
        if (logic or "").strip().lower() == FORMULA_LOGIC:
            self.formula(element, formula, "Boolean", None, f"the formula of {what}")
            return
        self.logic(element, logic, len(conditions), f"the condition logic of {what}")
        for number, condition in enumerate(conditions, 1):
            where = f"condition {number} of {what}"
            if condition.operator not in COMPARISON_OPERATORS:
                self.error(element, f"{where} uses the unknown operator {condition.operator!r}")
            if condition.operator in ELEMENT_OPERATORS and self.index.is_element(
                condition.left_value_reference
            ):
                continue
            self.read(element, condition.left_value_reference, f"the left side of {where}")
            self.value(element, condition.right_value, f"the right side of {where}")

    def record_filters(
        self,
        element: str,
        object_name: str | None,
        filters: tuple[model.RecordFilter, ...],
        logic: str | None,
        what: str = "filter",
    ) -> None:
        if filters:  # without filters, `and` (the usual default in files) means "every record"
            self.logic(element, logic, len(filters), f"the {what} logic")
        for number, item in enumerate(filters, 1):
            if item.operator not in RECORD_FILTER_OPERATORS:
                self.error(element, f"{what} {number} uses the unknown operator {item.operator!r}")
            self.object_field(element, object_name, item.field, f"{what} field")
            self.value(element, item.value, f"the value of {what} {number} ({item.field})")

    def field_values(
        self, element: str, object_name: str | None, assignments: tuple[model.InputAssignment, ...]
    ) -> None:
        for item in assignments:
            self.object_field(element, object_name, item.field, "field")
            self.value(element, item.value, f"the value for {item.target}")

    def outputs(self, element: str, targets: Iterable[tuple[str, str]]) -> None:
        """(source name, assignToReference) pairs: element outputs copied into flow resources."""
        for source, target in targets:
            self.write(element, target, f"the target of output {source}")


def same_type(left: ResourceInfo, right: ResourceInfo) -> bool | None:
    """Whether two resources hold the same kind of value; None when the metadata does not say."""
    if left.open or right.open or left.data_type is None or right.data_type is None:
        return None
    if left.data_type == "SObject" or right.data_type == "SObject":
        if left.data_type != right.data_type:
            return False
        if left.object_type and right.object_type:
            return left.object_type.lower() == right.object_type.lower()
        return None
    for family in (TEXT_TYPES, NUMERIC_TYPES):
        if left.data_type in family and right.data_type in family:
            return True
    if left.data_type == "Apex" or right.data_type == "Apex":
        return None
    return left.data_type == right.data_type


def describe(info: ResourceInfo) -> str:
    """`a record collection of Contact`, `a Number variable` — for type mismatch messages."""
    if info.data_type == "SObject":
        shape = "a record collection" if info.is_collection else "a record"
        return f"{shape} of {info.object_type}" if info.object_type else shape
    collection = " collection" if info.is_collection else ""
    return f"a {info.data_type or 'value'}{collection}"
