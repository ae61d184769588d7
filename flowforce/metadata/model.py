"""The immutable flow model: what a `.flow-meta.xml` says, checked and typed, with no run-time state.

Each dataclass mirrors one Metadata API type (reference/flow-metadata.md §1–5). Field names are the XML
tags in snake_case (`assignToReference` → `assign_to_reference`); the binder in `binding.py` derives the tag
from the name and the conversion from the annotation, so the model stays the single description of the
format. Repeated XML children are tuples. Anything the engine does not need (builder layout, Process Builder
metadata) is simply not declared and therefore ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

# ---------------------------------------------------------------------------------------------- values


class ValueKind(StrEnum):
    """Which child a `FlowElementReferenceOrValue` carries (§4.2)."""

    REFERENCE = "elementReference"
    STRING = "stringValue"
    NUMBER = "numberValue"
    BOOLEAN = "booleanValue"
    DATE = "dateValue"
    DATETIME = "dateTimeValue"
    TIME = "timeValue"
    FORMULA = "formulaExpression"
    APEX = "apexValue"
    SOBJECT = "sobjectValue"
    TRANSFORM_REFERENCE = "transformValueReference"
    NULL = "null"


@dataclass(frozen=True, slots=True)
class FlowValue:
    """A literal or a reference. `literal` holds the typed Python value for literal kinds."""

    kind: ValueKind
    text: str | None = None
    literal: Any = None
    formula_data_type: str | None = None

    @property
    def is_reference(self) -> bool:
        return self.kind is ValueKind.REFERENCE


NULL_VALUE = FlowValue(ValueKind.NULL)


@dataclass(frozen=True, slots=True)
class Connector:
    target_reference: str
    is_go_to: bool = False


# ---------------------------------------------------------------------------------------------- resources


@dataclass(frozen=True, slots=True)
class Variable:
    name: str
    data_type: str = "String"
    is_collection: bool = False
    is_input: bool = False
    is_output: bool = False
    object_type: str | None = None
    apex_class: str | None = None
    scale: int | None = None
    value: FlowValue | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Constant:
    name: str
    data_type: str = "String"
    value: FlowValue | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Formula:
    name: str
    data_type: str = "String"
    expression: str = ""
    scale: int | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class TextTemplate:
    name: str
    text: str = ""
    is_viewed_as_plain_text: bool = False
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """Screen-flow choice resource; its value is readable like a constant."""

    name: str
    choice_text: str = ""
    data_type: str = "String"
    value: FlowValue | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class DynamicChoiceSet:
    name: str
    data_type: str = "String"
    object: str | None = None
    picklist_field: str | None = None
    picklist_object: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    label: str | None = None
    stage_order: int | None = None
    is_active: bool = False


# ---------------------------------------------------------------------------------------------- pieces


@dataclass(frozen=True, slots=True)
class Condition:
    """A Decision/Wait/Collection Filter condition (§5.2)."""

    left_value_reference: str
    operator: str
    right_value: FlowValue | None = None


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """A data-element filter (§5.4): SOQL semantics."""

    field: str
    operator: str
    value: FlowValue | None = None


@dataclass(frozen=True, slots=True)
class InputAssignment:
    """`{field, value}` on record elements; `{name, value}` on subflows."""

    field: str | None = None
    name: str | None = None
    value: FlowValue | None = None

    @property
    def target(self) -> str:
        return self.field or self.name or ""


@dataclass(frozen=True, slots=True)
class OutputAssignment:
    """`{field|name, assignToReference}`: copy a child value into a flow resource."""

    assign_to_reference: str
    field: str | None = None
    name: str | None = None

    @property
    def source(self) -> str:
        return self.field or self.name or ""


@dataclass(frozen=True, slots=True)
class Parameter:
    """Action input parameter."""

    name: str
    value: FlowValue | None = None


@dataclass(frozen=True, slots=True)
class OutputParameter:
    name: str
    assign_to_reference: str


@dataclass(frozen=True, slots=True)
class DataTypeMapping:
    type_name: str
    type_value: str | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    frequency: str | None = None
    start_date: dt.date | None = None
    start_time: dt.time | None = None
    end_date: dt.date | None = None
    end_time: dt.time | None = None
    day_of_month_to_run: int | None = None
    days_of_week_to_run: tuple[str, ...] = ()
    frequency_number: int | None = None


@dataclass(frozen=True, slots=True)
class ScheduledPath:
    name: str | None = None
    label: str | None = None
    connector: Connector | None = None
    offset_number: int | None = None
    offset_unit: str | None = None
    time_source: str | None = None
    record_field: str | None = None
    path_type: str | None = None
    max_batch_size: int | None = None


@dataclass(frozen=True, slots=True)
class Start:
    connector: Connector | None = None
    trigger_type: str | None = None
    object: str | None = None
    record_trigger_type: str | None = None
    filter_logic: str | None = None
    filters: tuple[RecordFilter, ...] = ()
    filter_formula: str | None = None
    does_require_record_changed_to_meet_criteria: bool = False
    schedule: Schedule | None = None
    scheduled_paths: tuple[ScheduledPath, ...] = ()
    flow_run_as_user: str | None = None
    is_async: bool = False


# ---------------------------------------------------------------------------------------------- nodes


@dataclass(frozen=True, slots=True, kw_only=True)
class Node:
    """A canvas element: something the interview can stand on."""

    TAG: ClassVar[str] = ""
    ELEMENT_TYPE: ClassVar[str] = ""  # Salesforce's type name, used in traces and fault emails
    RUNNABLE: ClassVar[bool] = True

    name: str
    label: str | None = None
    description: str | None = None
    location_x: int | None = None
    location_y: int | None = None

    def outgoing(self) -> Iterator[tuple[str, Connector]]:
        """Every connector with the role it plays, for validation and the console's graph."""
        for attr in ("connector", "fault_connector", "default_connector", "next_value_connector",
                     "no_more_values_connector"):
            connector = getattr(self, attr, None)
            if connector is not None:
                yield attr, connector


@dataclass(frozen=True, slots=True)
class AssignmentItem:
    assign_to_reference: str
    operator: str = "Assign"
    value: FlowValue | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment(Node):
    TAG: ClassVar[str] = "assignments"
    ELEMENT_TYPE: ClassVar[str] = "FlowAssignment"
    assignment_items: tuple[AssignmentItem, ...] = ()
    connector: Connector | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A Decision outcome; its name is a Boolean resource (§5.2)."""

    name: str
    label: str | None = None
    condition_logic: str | None = "and"
    conditions: tuple[Condition, ...] = ()
    connector: Connector | None = None
    does_require_record_changed_to_meet_criteria: bool = False
    formula_expression: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision(Node):
    TAG: ClassVar[str] = "decisions"
    ELEMENT_TYPE: ClassVar[str] = "FlowDecision"
    rules: tuple[Rule, ...] = ()
    default_connector: Connector | None = None
    default_connector_label: str | None = None

    def outgoing(self) -> Iterator[tuple[str, Connector]]:
        yield from Node.outgoing(self)
        for rule in self.rules:
            if rule.connector is not None:
                yield f"rule {rule.name}", rule.connector


@dataclass(frozen=True, slots=True, kw_only=True)
class Loop(Node):
    TAG: ClassVar[str] = "loops"
    ELEMENT_TYPE: ClassVar[str] = "FlowLoop"
    collection_reference: str = ""
    iteration_order: str | None = "Asc"
    assign_next_value_to_reference: str | None = None
    next_value_connector: Connector | None = None
    no_more_values_connector: Connector | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordLookup(Node):
    TAG: ClassVar[str] = "recordLookups"
    ELEMENT_TYPE: ClassVar[str] = "FlowRecordLookup"
    object: str = ""
    filter_logic: str | None = None
    filters: tuple[RecordFilter, ...] = ()
    get_first_record_only: bool = False
    sort_field: str | None = None
    sort_order: str | None = None
    limit: FlowValue | None = None
    queried_fields: tuple[str, ...] = ()
    output_reference: str | None = None
    output_assignments: tuple[OutputAssignment, ...] = ()
    store_output_automatically: bool = False
    assign_null_values_if_no_records_found: bool = False
    connector: Connector | None = None
    fault_connector: Connector | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordCreate(Node):
    TAG: ClassVar[str] = "recordCreates"
    ELEMENT_TYPE: ClassVar[str] = "FlowRecordCreate"
    object: str | None = None
    input_assignments: tuple[InputAssignment, ...] = ()
    input_reference: str | None = None
    assign_record_id_to_reference: str | None = None
    store_output_automatically: bool = False
    connector: Connector | None = None
    fault_connector: Connector | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordUpdate(Node):
    TAG: ClassVar[str] = "recordUpdates"
    ELEMENT_TYPE: ClassVar[str] = "FlowRecordUpdate"
    object: str | None = None
    input_reference: str | None = None
    filter_logic: str | None = None
    filters: tuple[RecordFilter, ...] = ()
    input_assignments: tuple[InputAssignment, ...] = ()
    connector: Connector | None = None
    fault_connector: Connector | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordDelete(Node):
    TAG: ClassVar[str] = "recordDeletes"
    ELEMENT_TYPE: ClassVar[str] = "FlowRecordDelete"
    object: str | None = None
    input_reference: str | None = None
    filter_logic: str | None = None
    filters: tuple[RecordFilter, ...] = ()
    connector: Connector | None = None
    fault_connector: Connector | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Subflow(Node):
    TAG: ClassVar[str] = "subflows"
    ELEMENT_TYPE: ClassVar[str] = "FlowSubflow"
    flow_name: str = ""
    input_assignments: tuple[InputAssignment, ...] = ()
    output_assignments: tuple[OutputAssignment, ...] = ()
    store_output_automatically: bool = False
    connector: Connector | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionCall(Node):
    TAG: ClassVar[str] = "actionCalls"
    ELEMENT_TYPE: ClassVar[str] = "FlowActionCall"
    action_name: str = ""
    action_type: str = ""
    input_parameters: tuple[Parameter, ...] = ()
    output_parameters: tuple[OutputParameter, ...] = ()
    store_output_automatically: bool = False
    flow_transaction_model: str | None = None
    data_type_mappings: tuple[DataTypeMapping, ...] = ()
    connector: Connector | None = None
    fault_connector: Connector | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ApexPluginCall(Node):
    TAG: ClassVar[str] = "apexPluginCalls"
    ELEMENT_TYPE: ClassVar[str] = "FlowApexPluginCall"
    apex_class: str = ""
    input_parameters: tuple[Parameter, ...] = ()
    output_parameters: tuple[OutputParameter, ...] = ()
    connector: Connector | None = None
    fault_connector: Connector | None = None


@dataclass(frozen=True, slots=True)
class SortOption:
    sort_field: str | None = None
    sort_order: str = "Asc"
    does_put_empty_string_and_null_first: bool = False


@dataclass(frozen=True, slots=True)
class MapItem:
    assign_to_field_reference: str
    operator: str = "Assign"
    value: FlowValue | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CollectionProcessor(Node):
    TAG: ClassVar[str] = "collectionProcessors"
    ELEMENT_TYPE: ClassVar[str] = "FlowCollectionProcessor"
    collection_processor_type: str = ""
    collection_reference: str = ""
    assign_next_value_to_reference: str | None = None
    condition_logic: str | None = None
    conditions: tuple[Condition, ...] = ()
    formula: str | None = None
    limit: int | None = None
    sort_options: tuple[SortOption, ...] = ()
    map_items: tuple[MapItem, ...] = ()
    output_s_object_type: str | None = None
    connector: Connector | None = None


@dataclass(frozen=True, slots=True)
class CustomErrorMessage:
    error_message: str = ""
    is_field_error: bool = False
    field_selection: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomError(Node):
    TAG: ClassVar[str] = "customErrors"
    ELEMENT_TYPE: ClassVar[str] = "FlowCustomError"
    custom_error_messages: tuple[CustomErrorMessage, ...] = ()
    connector: Connector | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordRollback(Node):
    TAG: ClassVar[str] = "recordRollbacks"
    ELEMENT_TYPE: ClassVar[str] = "FlowRecordRollback"
    connector: Connector | None = None


@dataclass(frozen=True, slots=True)
class TransformValueAction:
    transform_type: str = "Map"
    output_field_api_name: str | None = None
    value: FlowValue | None = None


@dataclass(frozen=True, slots=True)
class TransformValue:
    transform_value_actions: tuple[TransformValueAction, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Transform(Node):
    TAG: ClassVar[str] = "transforms"
    ELEMENT_TYPE: ClassVar[str] = "FlowTransform"
    data_type: str = "String"
    is_collection: bool = False
    object_type: str | None = None
    apex_class: str | None = None
    scale: int | None = None
    store_output_automatically: bool = True
    transform_values: tuple[TransformValue, ...] = ()
    connector: Connector | None = None


@dataclass(frozen=True, slots=True)
class WaitEvent:
    name: str
    label: str | None = None
    event_type: str | None = None
    input_parameters: tuple[Parameter, ...] = ()
    output_parameters: tuple[OutputParameter, ...] = ()
    condition_logic: str | None = None
    conditions: tuple[Condition, ...] = ()
    connector: Connector | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Wait(Node):
    TAG: ClassVar[str] = "waits"
    ELEMENT_TYPE: ClassVar[str] = "FlowWait"
    wait_events: tuple[WaitEvent, ...] = ()
    default_connector: Connector | None = None
    default_connector_label: str | None = None
    fault_connector: Connector | None = None
    time_zone_id: str | None = None
    #: `WaitDuration`, `WaitDate`, or absent for the classic event-based Wait.
    element_subtype: str | None = None

    def outgoing(self) -> Iterator[tuple[str, Connector]]:
        yield from Node.outgoing(self)
        for event in self.wait_events:
            if event.connector is not None:
                yield f"wait event {event.name}", event.connector


@dataclass(frozen=True, slots=True)
class ScreenField:
    """A screen component; only its name matters headless, because later elements may reference it."""

    name: str
    field_type: str | None = None
    data_type: str | None = None
    object_type: str | None = None
    extension_name: str | None = None
    store_output_automatically: bool = False
    fields: tuple[ScreenField, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Screen(Node):
    """Parsed so screen flows load, but never run headless (§5.14)."""

    TAG: ClassVar[str] = "screens"
    ELEMENT_TYPE: ClassVar[str] = "FlowScreen"
    RUNNABLE: ClassVar[bool] = False
    connector: Connector | None = None
    fields: tuple[ScreenField, ...] = ()
    allow_back: bool = True
    allow_finish: bool = True
    show_footer: bool = True

    def all_fields(self) -> Iterator[ScreenField]:
        """Every field, including those nested in sections and columns (regions)."""
        stack = list(reversed(self.fields))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.fields))


@dataclass(frozen=True, slots=True, kw_only=True)
class Step(Node):
    """Legacy Cloud Flow Designer placeholder: a no-op that follows its single connector."""

    TAG: ClassVar[str] = "steps"
    ELEMENT_TYPE: ClassVar[str] = "FlowStep"
    connectors: tuple[Connector, ...] = ()

    def outgoing(self) -> Iterator[tuple[str, Connector]]:
        for connector in self.connectors:
            yield "connector", connector


@dataclass(frozen=True, slots=True)
class StageStep:
    """One step of an Orchestrator stage: a background step runs an autolaunched flow (`actionName`), an
    interactive one asks a person; later elements read its outputs as `Step.Outputs.name`."""

    name: str
    label: str | None = None
    action_name: str | None = None
    action_type: str | None = None
    step_subtype: str | None = None
    input_parameters: tuple[Parameter, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OrchestratedStage(Node):
    TAG: ClassVar[str] = "orchestratedStages"
    ELEMENT_TYPE: ClassVar[str] = "FlowOrchestratedStage"
    RUNNABLE: ClassVar[bool] = False
    connector: Connector | None = None
    fault_connector: Connector | None = None
    stage_steps: tuple[StageStep, ...] = ()


NODE_TYPES: tuple[type[Node], ...] = (
    Assignment, Decision, Loop, RecordLookup, RecordCreate, RecordUpdate, RecordDelete, Subflow, ActionCall,
    ApexPluginCall, CollectionProcessor, CustomError, RecordRollback, Transform, Wait, Screen, Step,
    OrchestratedStage,
)

# ---------------------------------------------------------------------------------------------- the flow

#: processType values whose flows the engine runs headless (record-triggered/scheduled are AutoLaunchedFlow).
ON_DEMAND_TRIGGER = "OnDemandNoTrigger"
ON_DEMAND_INPUTS = ("EmailAddress", "IndividualId", "TelephoneNumber")
HEADLESS_PROCESS_TYPES = frozenset({"AutoLaunchedFlow", "Workflow", "CustomEvent", "InvocableProcess"})


@dataclass(frozen=True)
class Flow:
    """One version of one flow. `api_name` comes from the file name (SFDX files carry no fullName)."""

    api_name: str
    version: int
    label: str
    process_type: str
    status: str
    api_version: Decimal | None = None
    description: str | None = None
    interview_label: str | None = None
    run_in_mode: str | None = None
    trigger_order: int | None = None
    start: Start | None = None
    start_element_reference: str | None = None
    variables: Mapping[str, Variable] = field(default_factory=dict)
    constants: Mapping[str, Constant] = field(default_factory=dict)
    formulas: Mapping[str, Formula] = field(default_factory=dict)
    text_templates: Mapping[str, TextTemplate] = field(default_factory=dict)
    choices: Mapping[str, Choice] = field(default_factory=dict)
    dynamic_choice_sets: Mapping[str, DynamicChoiceSet] = field(default_factory=dict)
    stages: Mapping[str, Stage] = field(default_factory=dict)
    nodes: Mapping[str, Node] = field(default_factory=dict)
    source_path: str | None = None

    @property
    def start_target(self) -> str | None:
        """Where an interview begins: `start/connector`, else the legacy `startElementReference`."""
        if self.start is not None and self.start.connector is not None:
            return self.start.connector.target_reference
        return self.start_element_reference

    @property
    def trigger_type(self) -> str | None:
        return self.start.trigger_type if self.start else None

    @property
    def on_demand(self) -> bool:
        """Started by a REST call and run asynchronously (seeds 003/004: Marketing Cloud on-demand flows)."""
        return self.trigger_type == ON_DEMAND_TRIGGER

    @property
    def implicit_inputs(self) -> tuple[str, ...]:
        """Inputs accepted though the flow may not declare them (seed 004: always available on on-demand
        flows); a flow that declares one uses it."""
        return ON_DEMAND_INPUTS if self.on_demand else ()

    @property
    def non_runnable_nodes(self) -> list[Node]:
        return [node for node in self.nodes.values() if not node.RUNNABLE]

    @property
    def runnable_headless(self) -> bool:
        return self.process_type in HEADLESS_PROCESS_TYPES and not self.non_runnable_nodes

    @property
    def inputs(self) -> list[Variable]:
        return [v for v in self.variables.values() if v.is_input]

    @property
    def outputs(self) -> list[Variable]:
        return [v for v in self.variables.values() if v.is_output]
