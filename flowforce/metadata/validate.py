"""Validate a parsed flow the way Salesforce does when it saves one.

Errors are what would make Salesforce keep the flow only as an InvalidDraft (a dangling connector, a
reference to nothing, a formula that does not compile, an operator that cannot apply). Warnings are what we
cannot vouch for but Salesforce could (custom objects and Apex actions of the user's org, other flows not
loaded here) or what the engine will not do (screens). The flow still loads either way; `project.py` decides
its effective status from the errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flowforce.metadata import model
from flowforce.metadata.before_save import before_save_message, forbidden_before_save
from flowforce.metadata.checker import Checker
from flowforce.metadata.element_checks import check_element
from flowforce.metadata.enums import (
    DATA_TYPES,
    PROCESS_TYPES,
    RECORD_TRIGGER_TYPES,
    RECORD_TRIGGERS,
    RUN_IN_MODES,
    STATUSES,
    TRIGGER_TYPES,
)
from flowforce.metadata.formulas import FORMULA_DATA_TYPES
from flowforce.metadata.problems import Problem

__all__ = ["Problem", "validate_flow"]

CONNECTOR_ROLES = {
    "connector": "connector",
    "fault_connector": "fault connector",
    "default_connector": "default connector",
    "next_value_connector": "next value connector",
    "no_more_values_connector": "no more values connector",
}


def validate_flow(
    flow: model.Flow, *, schema: Any = None, actions: Any = None, known_flows: Iterable[str] | None = None
) -> list[Problem]:
    """Every problem of *flow*, in file order as far as possible, without duplicates.

    *schema* (`has`, `get(name).has_field`, `parent_relationship`), *actions* (`has(type, name)`) and
    *known_flows* (API names) are optional; without them those checks are skipped.
    """
    checker = Checker(flow, schema=schema, actions=actions, known_flows=known_flows)
    _check_header(checker)
    _check_graph(checker)
    _check_start(checker)
    _check_resources(checker)
    for node in flow.nodes.values():
        check_element(checker, node)
    checker.text(None, flow.interview_label, "the interview label")
    for object_name in checker.unknown_objects:
        checker.warning(None, f"the object {object_name} is not known{_origin(object_name)} (fields on it are not "
                        "checked)")
    if not checker.formulas_fully_checked:
        checker.warning(
            None, "formulas were only checked for balanced brackets: flowforce.formula is missing"
        )
    _check_headless(checker)
    return list(dict.fromkeys(checker.problems))


def _origin(object_name: str) -> str:
    """Where an unknown custom object would come from: a managed package's namespace, or the project itself."""
    parts = object_name.split("__")
    if len(parts) == 3 and parts[0]:
        return f": it belongs to the {parts[0]} namespace, a managed package this project does not contain"
    if len(parts) == 2:
        return ": its objects/ folder is not in the project"
    return ""


# ---------------------------------------------------------------------------------------------- header

PROCESS_BUILDER_TYPES = frozenset({"Workflow", "CustomEvent"})


def _check_header(checker: Checker) -> None:
    flow = checker.flow
    if flow.process_type not in PROCESS_TYPES:
        checker.warning(None, f"unknown processType {flow.process_type!r}")
    if flow.status not in STATUSES:
        checker.warning(None, f"unknown status {flow.status!r}; treated as a Draft")
    if flow.process_type in PROCESS_BUILDER_TYPES:
        # reference/flow-metadata.md §8.4: record changes and events start a process through metadata flowforce
        # does not model (processMetadataValues); only a REST invoke or a subflow call runs it here.
        checker.warning(None, f"a Process Builder process (processType {flow.process_type}): Salesforce retired "
                              "Process Builder and no longer lets you edit one; flowforce never fires it on record "
                              "changes or events — migrate it to a record-triggered flow")
    if flow.run_in_mode is not None and flow.run_in_mode not in RUN_IN_MODES:
        # reference/flow-metadata.md §7.6: a typo Salesforce refuses at deploy; we cannot guess the intent.
        checker.warning(
            None,
            f"unknown runInMode {flow.run_in_mode!r} "
            f"(expected one of {', '.join(sorted(RUN_IN_MODES))}); running in DefaultMode",
        )


def _check_headless(checker: Checker) -> None:
    flow = checker.flow
    screens = [node.name for node in flow.non_runnable_nodes if isinstance(node, model.Screen)]
    others = [node.name for node in flow.non_runnable_nodes if not isinstance(node, model.Screen)]
    reasons = []
    if flow.process_type not in model.HEADLESS_PROCESS_TYPES:
        reasons.append(f"processType {flow.process_type}")
    if screens:
        reasons.append(f"screen elements {', '.join(screens)}")
    if others:
        reasons.append(f"elements {', '.join(others)}")
    if reasons:
        checker.warning(None, f"not runnable headless: {'; '.join(reasons)}")


# ---------------------------------------------------------------------------------------------- graph


def _entry_points(flow: model.Flow) -> Iterator[tuple[str, str]]:
    """(role, target) of every way into the graph: the start connector and the scheduled paths."""
    if flow.start_target:
        yield "the start connector", flow.start_target
    if flow.start is not None:
        for path in flow.start.scheduled_paths:
            if path.connector is not None:
                yield (
                    f"the scheduled path {path.name or path.path_type or ''}".rstrip(),
                    path.connector.target_reference,
                )


def _check_graph(checker: Checker) -> None:
    flow = checker.flow
    entries = list(_entry_points(flow))
    if not entries:
        checker.error(None, "the flow has no start element")
    for role, target in entries:
        if target not in flow.nodes:
            checker.error(None, f"{role} points to {target}, which does not exist")
    for node in flow.nodes.values():
        for role, connector in node.outgoing():
            if connector.target_reference not in flow.nodes:
                checker.error(
                    node.name,
                    f"the {_role_text(role)} points to {connector.target_reference}, which does not exist",
                )
    reached = _reachable(flow, (target for _, target in entries))
    for name in flow.nodes:
        if name not in reached and entries:
            checker.warning(name, "the element is not connected to the start, so it never runs")


def _role_text(role: str) -> str:
    if role in CONNECTOR_ROLES:
        return CONNECTOR_ROLES[role]
    kind, _, name = role.rpartition(" ")
    return f"connector of {kind} {name}"


def _reachable(flow: model.Flow, starts: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = [name for name in starts if name in flow.nodes]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        for _, connector in flow.nodes[name].outgoing():
            if connector.target_reference in flow.nodes:
                stack.append(connector.target_reference)
    return seen


# ---------------------------------------------------------------------------------------------- start


def _check_start(checker: Checker) -> None:
    start = checker.flow.start
    if start is None:
        return
    trigger = start.trigger_type
    if trigger is not None and trigger not in TRIGGER_TYPES:
        checker.warning(None, f"unknown start triggerType {trigger!r}")
    if start.record_trigger_type is not None and start.record_trigger_type not in RECORD_TRIGGER_TYPES:
        checker.warning(None, f"unknown start recordTriggerType {start.record_trigger_type!r}")
    if trigger in RECORD_TRIGGERS and not start.object:
        checker.error(None, f"a {trigger} flow needs a start object")
    if trigger in RECORD_TRIGGERS or trigger == "PlatformEvent":
        checker.known_object(None, start.object)
    if trigger == "RecordBeforeDelete" and start.record_trigger_type not in (None, "Delete"):
        checker.error(
            None,
            f"a RecordBeforeDelete flow must have recordTriggerType Delete, not {start.record_trigger_type}",
        )
    for node in forbidden_before_save(checker.flow):
        checker.error(node.name, before_save_message(node))
    checker.record_filters("start", start.object, start.filters, start.filter_logic, "entry condition")
    if start.filter_formula is not None:
        checker.formula("start", start.filter_formula, "Boolean", None, "the entry condition formula")
    for path in start.scheduled_paths:
        if path.record_field:
            checker.object_field("start", start.object, path.record_field, "scheduled path field")


# ---------------------------------------------------------------------------------------------- resources


def _check_resources(checker: Checker) -> None:
    flow = checker.flow
    for variable in flow.variables.values():
        _check_typed(checker, variable.name, variable.data_type, variable.object_type)
        checker.value(variable.name, variable.value, "the default value")
    for constant in flow.constants.values():
        _check_typed(checker, constant.name, constant.data_type, None)
        checker.value(constant.name, constant.value, "the value")
    for formula in flow.formulas.values():
        if formula.data_type not in FORMULA_DATA_TYPES:
            checker.error(formula.name, f"a formula cannot have dataType {formula.data_type!r}")
        checker.formula(formula.name, formula.expression, formula.data_type, formula.scale, "the formula")
    for template in flow.text_templates.values():
        checker.text(template.name, template.text, "the text template")
    for choice in flow.choices.values():
        checker.value(choice.name, choice.value, "the choice value")


def _check_typed(checker: Checker, name: str, data_type: str, object_type: str | None) -> None:
    if data_type not in DATA_TYPES:
        checker.error(name, f"unknown dataType {data_type!r}")
    elif data_type == "SObject":
        if not object_type:
            checker.error(name, "a record variable needs an objectType")
        else:
            checker.known_object(name, object_type)
