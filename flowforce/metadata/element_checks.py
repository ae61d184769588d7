"""One check per element kind: what each element refers to, and the type rules its metadata implies.

Connectors are checked once for all elements in `validate.py`; these functions only look inside an element.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowforce.actions.registry import apex_how_to
from flowforce.metadata import model
from flowforce.metadata.checker import Checker, describe, same_type
from flowforce.metadata.enums import (
    ASSIGNMENT_OPERATORS,
    COLLECTION_ASSIGNMENT_OPERATORS,
    COLLECTION_PROCESSOR_TYPES,
    NUMERIC_TYPES,
    RECORD_TRIGGERS,
    TEXT_TYPES,
)
from flowforce.metadata.references import ResourceInfo

# reference/flow-metadata.md §5.1: which target types each scalar operator accepts (collections aside).
SCALAR_OPERATOR_TYPES: dict[str, frozenset[str]] = {
    "Add": frozenset(
        {"Number", "Currency", "Date", "DateTime", "Time", "String", "Picklist", "Multipicklist"}
    ),
    "Subtract": frozenset({"Number", "Currency", "Date", "DateTime", "Time"}),
    "AddItem": frozenset({"Multipicklist"}),
    "AssignCount": NUMERIC_TYPES,
}


def check_assignment(checker: Checker, node: model.Assignment) -> None:
    if not node.assignment_items:
        checker.error(node.name, "the assignment has no items")
    for number, item in enumerate(node.assignment_items, 1):
        what = f"the target of item {number}"
        target = checker.write(node.name, item.assign_to_reference, what)
        source = checker.value(node.name, item.value, f"the value of item {number}")
        if item.operator not in ASSIGNMENT_OPERATORS or item.operator == "None":
            checker.error(node.name, f"item {number} uses the unknown assignment operator {item.operator!r}")
        elif target is not None:
            _operator_fits(checker, node.name, number, item.operator, target, source)


def _operator_fits(
    checker: Checker,
    element: str,
    number: int,
    operator: str,
    target: ResourceInfo,
    source: ResourceInfo | None,
) -> None:
    """Only judge what the metadata states: unknown types (record fields without a schema) pass."""
    where = f"item {number} ({operator} on {target.name})"
    if target.open or (target.data_type is None and not target.field_path):
        return
    known_source = source if source is not None and not source.open and source.data_type else None
    if operator in COLLECTION_ASSIGNMENT_OPERATORS:
        if not target.is_collection:
            checker.error(
                element, f"{where}: {operator} needs a collection, but the target is {describe(target)}"
            )
        return
    if operator == "AssignCount" and known_source is not None and not known_source.is_collection:
        checker.error(
            element, f"{where}: AssignCount counts a collection, but the value is {describe(known_source)}"
        )
    if target.is_collection:
        if operator not in ("Assign", "Add"):
            checker.error(element, f"{where}: {operator} does not apply to a collection")
        return
    allowed = SCALAR_OPERATOR_TYPES.get(operator)
    if allowed is not None and target.data_type is not None and target.data_type not in allowed:
        checker.error(element, f"{where}: {operator} does not apply to {describe(target)}")
    if (
        operator == "Assign"
        and known_source is not None
        and target.data_type is not None
        and (same_type(target, known_source) is False or known_source.is_collection)
        and not _text_takes_scalar(target, known_source)
    ):
        checker.error(element, f"{where}: cannot assign {describe(known_source)} to {describe(target)}")


def _text_takes_scalar(target: ResourceInfo, source: ResourceInfo) -> bool:
    """Flow Builder lets a Text target take any single primitive value (it is converted to text)."""
    return target.data_type in TEXT_TYPES and not source.is_collection and source.data_type != "SObject"


def check_decision(checker: Checker, node: model.Decision) -> None:
    if not node.rules:
        checker.error(node.name, "the decision has no outcomes")
    for rule in node.rules:
        checker.conditions(
            node.name, rule.conditions, rule.condition_logic, f"outcome {rule.name}", rule.formula_expression
        )


def check_loop(checker: Checker, node: model.Loop) -> None:
    source = checker.read(node.name, node.collection_reference, "the collection")
    if source is not None and not source.open and source.data_type is not None and not source.is_collection:
        checker.error(node.name, f"the collection {source.name} is {describe(source)}, not a collection")
        source = None
    if node.iteration_order not in (None, "Asc", "Desc"):
        checker.error(node.name, f"unknown iterationOrder {node.iteration_order!r} (expected Asc or Desc)")
    if node.assign_next_value_to_reference:
        item = checker.write(node.name, node.assign_next_value_to_reference, "the loop variable")
        if item is not None and source is not None:
            single = ResourceInfo(source.name, source.kind, source.data_type, source.object_type)
            if item.is_collection or same_type(item, single) is False:
                checker.error(
                    node.name,
                    f"the loop variable {item.name} is {describe(item)}, but the items of "
                    f"{source.name} are {describe(single)}s",
                )


def check_record_lookup(checker: Checker, node: model.RecordLookup) -> None:
    if not node.object:
        checker.error(node.name, "Get Records needs an object")
    checker.known_object(node.name, node.object)
    checker.record_filters(node.name, node.object, node.filters, node.filter_logic)
    checker.object_field(node.name, node.object, node.sort_field, "sort field")
    if node.sort_order not in (None, "Asc", "Desc"):
        checker.error(node.name, f"unknown sortOrder {node.sort_order!r} (expected Asc or Desc)")
    for field in node.queried_fields:
        checker.object_field(node.name, node.object, field, "queried field")
    checker.value(node.name, node.limit, "the limit")
    for output in node.output_assignments:
        checker.object_field(node.name, node.object, output.field, "output field")
    checker.outputs(node.name, ((o.source, o.assign_to_reference) for o in node.output_assignments))
    if node.output_reference:
        _check_lookup_target(checker, node)


def _check_lookup_target(checker: Checker, node: model.RecordLookup) -> None:
    """A single-record variable with getFirstRecordOnly absent/false is the legacy "first record" form,
    so only an object mismatch or a collection receiving getFirstRecordOnly=true is wrong."""
    target = checker.write(node.name, node.output_reference, "the output variable")
    if target is None:
        return
    returned = ResourceInfo(
        node.name, target.kind, "SObject", node.object or None, not node.get_first_record_only
    )
    if same_type(target, returned) is False or (node.get_first_record_only and target.is_collection):
        checker.error(
            node.name,
            f"the output variable {target.name} is {describe(target)}, but the element "
            f"returns {describe(returned)}",
        )


def _record_input(checker: Checker, element: str, reference: str | None) -> ResourceInfo | None:
    if not reference:
        return None
    info = checker.read(element, reference, "the input record")
    if info is not None and not info.open and info.data_type not in (None, "SObject"):
        checker.error(
            element, f"the input record {info.name} is {describe(info)}, not a record or collection"
        )
    return info


def check_record_create(checker: Checker, node: model.RecordCreate) -> None:
    if not node.object and not node.input_reference:
        checker.error(node.name, "Create Records needs an object or an input record")
    checker.known_object(node.name, node.object)
    _record_input(checker, node.name, node.input_reference)
    checker.field_values(node.name, node.object, node.input_assignments)
    if node.assign_record_id_to_reference:
        checker.write(node.name, node.assign_record_id_to_reference, "the record Id target")


def check_record_change(checker: Checker, node: model.RecordUpdate | model.RecordDelete) -> None:
    """Update and Delete Records: either an input record/collection or an object with filters."""
    verb = "Update" if isinstance(node, model.RecordUpdate) else "Delete"
    if not node.object and not node.input_reference:
        checker.error(node.name, f"{verb} Records needs an object or an input record")
    checker.known_object(node.name, node.object)
    record = _record_input(checker, node.name, node.input_reference)
    object_name = node.object or (record.object_type if record else None)
    checker.record_filters(node.name, object_name, node.filters, node.filter_logic)
    if isinstance(node, model.RecordUpdate):
        checker.field_values(node.name, object_name, node.input_assignments)


def _check_child_flow(checker: Checker, element: str, flow_name: str) -> None:
    if not flow_name:
        checker.error(element, "the subflow names no flow")
    elif checker.known_flows is not None and flow_name.lower() not in checker.known_flows:
        checker.warning(element, f"the subflow {flow_name} is not among the loaded flows")


def check_subflow(checker: Checker, node: model.Subflow) -> None:
    _check_child_flow(checker, node.name, node.flow_name)
    for item in node.input_assignments:
        checker.value(node.name, item.value, f"the value for input {item.target}")
    checker.outputs(node.name, ((o.source, o.assign_to_reference) for o in node.output_assignments))


def _check_action_registered(checker: Checker, element: str, action_type: str, action_name: str) -> None:
    if checker.actions is None or checker.actions.has(action_type, action_name):
        return
    if action_type.lower() == "apex":
        checker.warning(element, f"Apex action {action_name} is not available: {apex_how_to(action_name)}")
    elif action_type.lower() == "component":
        checker.warning(element, f"not runnable headless: the screen component action {action_name} needs a "
                        "browser")
    else:
        checker.warning(element, f"action {action_type}:{action_name} is not registered")


def check_action_call(checker: Checker, node: model.ActionCall) -> None:
    if not node.action_type or not node.action_name:
        checker.error(node.name, "the action needs an actionType and an actionName")
    elif node.action_type == "flow":
        _check_child_flow(checker, node.name, node.action_name)
    else:
        _check_action_registered(checker, node.name, node.action_type, node.action_name)
    _parameters(checker, node.name, node)


def check_apex_plugin_call(checker: Checker, node: model.ApexPluginCall) -> None:
    _check_action_registered(checker, node.name, "apex", node.apex_class)
    _parameters(checker, node.name, node)


def _parameters(
    checker: Checker, element: str, node: model.ActionCall | model.ApexPluginCall | model.WaitEvent
) -> None:
    for parameter in node.input_parameters:
        checker.value(element, parameter.value, f"the value for input {parameter.name}")
    checker.outputs(element, ((o.name, o.assign_to_reference) for o in node.output_parameters))


def check_collection_processor(checker: Checker, node: model.CollectionProcessor) -> None:
    kind = node.collection_processor_type
    if kind not in COLLECTION_PROCESSOR_TYPES:
        checker.error(node.name, f"unknown collectionProcessorType {kind!r}")
        return
    if kind == "RecommendationMapCollectionProcessor":
        return  # Einstein recommendation mapping: out of scope (reference/flow-metadata.md §5.10)
    source = checker.read(node.name, node.collection_reference, "the collection")
    if source is not None and not source.open and source.data_type is not None and not source.is_collection:
        checker.error(node.name, f"the collection {source.name} is {describe(source)}, not a collection")
    if node.assign_next_value_to_reference:
        checker.write(node.name, node.assign_next_value_to_reference, "the current item variable")
    if kind == "FilterCollectionProcessor":
        checker.conditions(node.name, node.conditions, node.condition_logic, "the filter", node.formula)
    object_name = source.object_type if source is not None else None
    for option in node.sort_options:
        checker.object_field(node.name, object_name, option.sort_field, "sort field")


def check_custom_error(checker: Checker, node: model.CustomError) -> None:
    trigger = checker.flow.trigger_type
    if trigger not in RECORD_TRIGGERS:
        checker.warning(node.name, "Custom Error only works in record-triggered flows")
    for message in node.custom_error_messages:
        if not message.error_message.strip():
            checker.error(node.name, "the custom error message is empty")
        checker.text(node.name, message.error_message, "the error message")


def check_transform(checker: Checker, node: model.Transform) -> None:
    for transform_value in node.transform_values:
        for action in transform_value.transform_value_actions:
            if action.value is not None and action.value.kind is not model.ValueKind.TRANSFORM_REFERENCE:
                checker.value(
                    node.name, action.value, f"the value for {action.output_field_api_name or 'output'}"
                )


def check_wait(checker: Checker, node: model.Wait) -> None:
    if not node.wait_events:
        checker.error(node.name, "the wait has no events")
    for event in node.wait_events:
        if event.conditions and (event.event_type or "").lower().endswith("__e"):
            _event_conditions(checker, node.name, event)
        elif event.conditions:
            checker.conditions(node.name, event.conditions, event.condition_logic, f"wait event {event.name}")
        _parameters(checker, node.name, event)


def _event_conditions(checker: Checker, element: str, event: model.WaitEvent) -> None:
    """A platform event's resume conditions compare a field of the event message (left) with a flow value."""
    what = f"wait event {event.name}"
    checker.logic(element, event.condition_logic, len(event.conditions), f"the condition logic of {what}")
    for number, condition in enumerate(event.conditions, 1):
        field = condition.left_value_reference
        field = field.split(".", 1)[1] if field.lower().startswith("$record.") else field
        checker.object_field(element, event.event_type, field, f"the left side of condition {number} of {what}")
        checker.value(element, condition.right_value, f"the right side of condition {number} of {what}")


ElementCheck = Callable[[Checker, Any], None]

ELEMENT_CHECKS: dict[type[model.Node], ElementCheck] = {
    model.Assignment: check_assignment,
    model.Decision: check_decision,
    model.Loop: check_loop,
    model.RecordLookup: check_record_lookup,
    model.RecordCreate: check_record_create,
    model.RecordUpdate: check_record_change,
    model.RecordDelete: check_record_change,
    model.Subflow: check_subflow,
    model.ActionCall: check_action_call,
    model.ApexPluginCall: check_apex_plugin_call,
    model.CollectionProcessor: check_collection_processor,
    model.CustomError: check_custom_error,
    model.Transform: check_transform,
    model.Wait: check_wait,
}


def check_element(checker: Checker, node: model.Node) -> None:
    """Screens, steps, rollbacks and orchestrated stages have nothing to check inside headless."""
    check = ELEMENT_CHECKS.get(type(node))
    if check is not None:
        check(checker, node)
