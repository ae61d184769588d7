"""How a flow reads records: unchecked empty results, all-field queries, ids passed as text."""

from __future__ import annotations

from collections.abc import Iterator

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import RuleOptions, Violation
from flowforce.metadata import model
from flowforce.metadata.references import split_reference

NULL_CHECK_OPERATORS = frozenset({"IsNull", "IsBlank", "IsEmpty"})
EQUALITY_OPERATORS = frozenset({"EqualTo", "NotEqualTo"})


def _nullable_results(flow: model.Flow, lookup: model.RecordLookup) -> list[str]:
    """The resources a Get Records leaves null when it finds nothing (an empty collection is not null)."""
    if lookup.store_output_automatically:
        return [lookup.name] if lookup.get_first_record_only else []
    if lookup.output_reference:
        variable = flow.variables.get(lookup.output_reference)
        return [] if variable is not None and variable.is_collection else [lookup.output_reference]
    if lookup.output_assignments and lookup.assign_null_values_if_no_records_found:
        return [item.assign_to_reference for item in lookup.output_assignments]
    return []


def _checks_null(condition: model.Condition, results: set[str]) -> bool:
    parts = split_reference(condition.left_value_reference or "")
    if not parts or parts[0].lower() not in results:
        return False
    if condition.operator in NULL_CHECK_OPERATORS:
        return True
    right = condition.right_value
    return condition.operator in EQUALITY_OPERATORS and (
        right is None or right.kind is model.ValueKind.NULL
        or (right.is_reference and (right.text or "").startswith("$GlobalConstant"))
    )


def missing_null_handler(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    """A Get Records whose null result is used on some path that no decision checks it on."""
    flow, graph = facts.flow, facts.graph
    for lookup in facts.nodes_of(model.RecordLookup):
        results = _nullable_results(flow, lookup)
        if not results or lookup.name not in graph.reachable:
            continue
        keys = {name.lower() for name in results}
        guards = {
            decision.name
            for decision in facts.nodes_of(model.Decision)
            if any(_checks_null(condition, keys) for rule in decision.rules for condition in rule.conditions)
        }
        users = {user for name in results for user in _users_through_resources(facts, name)}
        users -= guards | {lookup.name}
        if not users or lookup.connector is None:
            continue
        unguarded = [name for name in graph.walk([lookup.connector.target_reference], stop=guards) if name in users]
        if unguarded:
            yield Violation(
                lookup.name,
                f"{lookup.name} leaves {', '.join(results)} null when it finds no record, and "
                f"{', '.join(sorted(unguarded))} use{'s' if len(unguarded) == 1 else ''} it with no decision "
                f"checking for null first",
                element=lookup.name,
                details={"unguarded": sorted(unguarded)},
            )


def _users_through_resources(facts: FlowFacts, resource: str) -> set[str]:
    """Elements using *resource* directly or through formulas and text templates that refer to it."""
    flow = facts.flow
    derived = (*flow.formulas, *flow.text_templates)
    users: set[str] = set()
    pending, seen = [resource], {resource}
    while pending:
        for user in facts.users_of(pending.pop()):
            if user in flow.nodes:
                users.add(user)
            elif user in derived and user not in seen:
                seen.add(user)
                pending.append(user)
    return users


def get_record_all_fields(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    for lookup in facts.nodes_of(model.RecordLookup):
        if lookup.store_output_automatically and not lookup.queried_fields:
            yield Violation(
                lookup.name,
                f"{lookup.name} stores every field of {lookup.object or 'the record'}; choose the fields it needs",
                element=lookup.name,
            )


def record_id_as_string(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    if facts.record_triggered:
        return
    for variable in facts.flow.variables.values():
        if variable.is_input and variable.name.lower() == "recordid" and variable.data_type == "String":
            yield Violation(
                variable.name,
                f"the input {variable.name} is a String; a record variable would receive the whole record and "
                f"save a Get Records",
                element=variable.name,
            )
