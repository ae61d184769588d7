"""The rule table: one row per Lightning Flow Scanner rule (reference/flow-tests-and-rules.md §2.2).

Adding a rule is a function in the module of its family and one row here.
"""

from __future__ import annotations

from collections.abc import Iterable

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import (
    ALL_TYPES,
    AUTOLAUNCHED,
    BACK_END,
    PROCESS_BUILDER,
    RUNNABLE_TYPES,
    VISUAL,
    Category,
    Rule,
    RuleOptions,
    Severity,
    Violation,
)
from flowforce.lint.rules import (
    complexity,
    documentation,
    errors,
    flow_settings,
    hardcoded,
    loops,
    records,
    screens,
    structure,
    triggers,
)

P, S, L = Category.PROBLEM, Category.SUGGESTION, Category.LAYOUT
E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------------------------------------ problems
    Rule("dml-in-loop", "DMLStatementInLoop", "DML Statement In A Loop", P, E,
         "Create, Update or Delete Records inside a loop: one DML statement per item, 150 per transaction.",
         loops.dml_in_loop, BACK_END,
         runtime_fact="DML statements measured per input and per loop item"),
    Rule("hardcoded-id", "HardcodedId", "Hardcoded Id", P, E,
         "A record id written into the flow exists in one org only.",
         hardcoded.hardcoded_id, ALL_TYPES),
    Rule("hardcoded-secret", "HardcodedSecret", "Hardcoded Secret", P, E,
         "A key, token or password written into the flow; keep credentials in Named Credentials.",
         hardcoded.hardcoded_secret, ALL_TYPES, beta=True),
    Rule("hardcoded-url", "HardcodedUrl", "Hardcoded Url", P, E,
         "An org-specific Salesforce URL written into the flow breaks in every other org.",
         hardcoded.hardcoded_url, ALL_TYPES),
    Rule("process-builder-usage", "ProcessBuilder", "Process Builder", P, E,
         "Process Builder is retired; its processes should become record-triggered flows.",
         flow_settings.process_builder_usage, PROCESS_BUILDER),
    Rule("soql-in-loop", "SOQLQueryInLoop", "SOQL Query In A Loop", P, E,
         "Get Records inside a loop: one SOQL query per item, 100 per transaction.",
         loops.soql_in_loop, BACK_END,
         runtime_fact="SOQL queries measured per input and per loop item, behind decisions too"),
    Rule("unsafe-running-context", "UnsafeRunningContext", "Unsafe Running Context", P, E,
         "System mode without sharing lets every user read and change all data through the flow.",
         flow_settings.unsafe_running_context, RUNNABLE_TYPES),
    Rule("duplicate-dml", "DuplicateDMLOperation", "Duplicate DML Operation", P, W,
         "Records written between two screens are written again when the user goes back and forward.",
         screens.duplicate_dml, VISUAL),
    Rule("missing-fault-path", "MissingFaultPath", "Missing Fault Path", P, W,
         "An element that can fail has no fault path, so a failure ends the interview unhandled.",
         errors.missing_fault_path, RUNNABLE_TYPES,
         runtime_fact="faults that fired with no fault path, per input"),
    Rule("missing-null-handler", "MissingNullHandler", "Missing Null Handler", P, W,
         "A Get Records result is used on a path where nothing checks that a record was found.",
         records.missing_null_handler, RUNNABLE_TYPES,
         runtime_fact="null results observed, and the elements that then failed"),
    Rule("recursive-record-update", "RecursiveAfterUpdate", "Recursive After Update", P, W,
         "An after-save flow that updates its own triggering record saves it again and may re-run.",
         triggers.recursive_record_update, BACK_END),
    # ------------------------------------------------------------------------------------------ suggestions
    Rule("action-call-in-loop", "ActionCallsInLoop", "Action Call In A Loop", S, W,
         "An action called once per loop item; pass it the whole collection once instead.",
         loops.action_call_in_loop, BACK_END,
         runtime_fact="action invocations measured per input"),
    Rule("get-record-all-fields", "GetRecordAllFields", "Get Record All Fields", S, W,
         "Get Records that stores every field reads more data than the flow needs.",
         records.get_record_all_fields, ALL_TYPES),
    Rule("inactive-flow", "InactiveFlow", "Inactive Flow", S, W,
         "A flow that is not Active still deploys and can be activated or called as a subflow.",
         flow_settings.inactive_flow, ALL_TYPES),
    Rule("invalid-api-version", "APIVersion", "Invalid API Version", S, W,
         "The flow's API version is older than the configured expression (default >= 50).",
         flow_settings.invalid_api_version, ALL_TYPES),
    Rule("missing-record-trigger-filter", "MissingFilterRecordTrigger", "Missing Filter Record Trigger", S, W,
         "A record-triggered flow without entry conditions runs on every save of every record.",
         triggers.missing_record_trigger_filter, AUTOLAUNCHED, beta=True),
    Rule("same-record-field-updates", "SameRecordFieldUpdates", "Same Record Field Updates", S, W,
         "A before-save flow updating $Record with Update Records instead of an Assignment.",
         triggers.same_record_field_updates, BACK_END),
    Rule("cognitive-complexity", "CognitiveComplexity", "Cognitive Complexity", S, N,
         "Loops and decisions nested inside loops, weighted by depth (default threshold 15).",
         complexity.excessive_cognitive_complexity, BACK_END, beta=True),
    Rule("excessive-cyclomatic-complexity", "CyclomaticComplexity", "Excessive Cyclomatic Complexity", S, N,
         "Decisions, outcomes and loops add up past the threshold (default 25).",
         complexity.excessive_cyclomatic_complexity, BACK_END,
         runtime_fact="elements never visited by the generated inputs"),
    Rule("unspecified-trigger-order", "TriggerOrder", "Missing Trigger Order", S, N,
         "A record-triggered flow without a trigger order runs in no defined order with its neighbours.",
         triggers.unspecified_trigger_order, AUTOLAUNCHED),
    Rule("record-id-as-string", "RecordIdAsString", "Record ID as String", S, N,
         "A String recordId input where a record input would save a Get Records.",
         records.record_id_as_string, VISUAL | AUTOLAUNCHED, beta=True),
    Rule("transform-instead-of-loop", "TransformInsteadOfLoop", "Transform Instead of Loop", S, N,
         "A loop that feeds each item straight into an Assignment is what a Transform does in one step.",
         loops.transform_instead_of_loop, ALL_TYPES, beta=True),
    # ------------------------------------------------------------------------------------------ layout
    Rule("invalid-naming-convention", "FlowName", "Flow Naming Convention", L, E,
         "The flow's API name does not match the naming convention (default [A-Za-z0-9]+_[A-Za-z0-9]+).",
         documentation.invalid_naming_convention, ALL_TYPES),
    Rule("missing-flow-description", "FlowDescription", "Missing Flow Description", L, E,
         "The flow has no description.",
         documentation.missing_flow_description, RUNNABLE_TYPES),
    Rule("missing-metadata-description", "MissingMetadataDescription", "Missing Metadata Description", L, W,
         "An element or resource has no description.",
         documentation.missing_metadata_description, ALL_TYPES, beta=True),
    Rule("unclear-api-naming", "CopyAPIName", "Unclear API Name", L, W,
         "An element still carries Flow Builder's Copy_N_of_ name.",
         documentation.unclear_api_naming, ALL_TYPES),
    Rule("unreachable-element", "UnconnectedElement", "Unreachable Element", L, W,
         "An element no connector leads to from the start never runs.",
         structure.unreachable_element, RUNNABLE_TYPES,
         runtime_fact="elements never visited by any generated input (coverage)"),
    Rule("unused-variable", "UnusedVariable", "Unused Variable", L, W,
         "A variable nothing refers to.",
         structure.unused_variable, RUNNABLE_TYPES),
    Rule("missing-auto-layout", "AutoLayout", "Missing Auto Layout", L, N,
         "The flow is laid out on the free-form canvas rather than auto-layout.",
         flow_settings.missing_auto_layout, ALL_TYPES),
    Rule("missing-start-reference", "MissingStartReference", "Missing Start Reference", L, E,
         "The start is connected to nothing, so the flow cannot run.",
         structure.missing_start_reference, ALL_TYPES, beta=True, system=True,
         runtime_fact="the load error a run gives"),
)



def _reported_at_load(facts: FlowFacts, options: RuleOptions) -> Iterable[Violation]:
    return ()  # built from the load report (lint/scan.py) or from runtime evidence, not from a flow's facts


# flowforce's own: what loading the file says, as findings, so CI sees it in SARIF and JUnit too.
LOAD_FAILURE = Rule(
    "load-failure", "LoadFailure", "Flow File Does Not Load", P, E,
    "The file is not a flow that can be read: not XML, unsafe XML, not a <Flow>, a value of the wrong type.",
    _reported_at_load,
)
INVALID_FLOW = Rule(
    "invalid-flow", "InvalidFlow", "Flow Does Not Validate", P, W,
    "Salesforce would keep this version only as an InvalidDraft (an error when the file claims to be Active).",
    _reported_at_load,
)
# Run-only rules: reported by the evidence pass of `flowforce check --run` (lint/evidence.py).
NOT_VISITED = Rule(
    "not-visited", "NotVisited", "Element Not Visited", S, N,
    "No generated input reached this element: a path the flow's tests should cover, or dead logic.",
    _reported_at_load,
)
GOVERNOR_LIMIT = Rule(
    "governor-limit", "GovernorLimit", "Governor Limit Exceeded", P, E,
    "A run hit a governor limit, which rolls back the whole transaction and no fault path can catch.",
    _reported_at_load,
)
FLOWFORCE_RULES: tuple[Rule, ...] = (LOAD_FAILURE, INVALID_FLOW, NOT_VISITED, GOVERNOR_LIMIT)
RULES_BY_ID = {rule.id: rule for rule in (*RULES, *FLOWFORCE_RULES)}


def find_rule(key: str) -> Rule | None:
    """A rule by id or by the scanner's legacy class name."""
    return RULES_BY_ID.get(key) or next(
        (rule for rule in RULES_BY_ID.values() if rule.legacy_name == key), None
    )


__all__ = [
    "FLOWFORCE_RULES", "GOVERNOR_LIMIT", "INVALID_FLOW", "LOAD_FAILURE", "NOT_VISITED", "RULES", "RULES_BY_ID",
    "find_rule",
]
