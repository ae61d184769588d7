"""Record-triggered flows: updates of the triggering record, entry conditions, trigger order."""

from __future__ import annotations

from collections.abc import Iterator

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import RuleOptions, Violation
from flowforce.metadata import model
from flowforce.metadata.references import split_reference

SAVE_TRIGGERS = frozenset({"Create", "Update", "CreateAndUpdate"})
SAVE_FLOWS = frozenset({"RecordAfterSave", "RecordBeforeSave"})


def _record_id_filter(update: model.RecordUpdate) -> bool:
    """`Id = {!$Record.Id}`: an Update Records that finds the triggering record by its id."""
    return any(
        item.field.lower() == "id" and item.value is not None and item.value.is_reference
        and [part.lower() for part in split_reference(item.value.text or "")] == ["$record", "id"]
        for item in update.filters
    )


def _updates_of_triggering_record(facts: FlowFacts) -> Iterator[model.RecordUpdate]:
    start = facts.flow.start
    start_object = (start.object or "").lower() if start else ""
    same_object_lookups = {
        lookup.name.lower() for lookup in facts.nodes_of(model.RecordLookup) if lookup.object.lower() == start_object
    }
    for update in facts.nodes_of(model.RecordUpdate):
        target = (update.input_reference or "").strip().lower()
        if target == "$record" or target in same_object_lookups or (
            (update.object or "").lower() == start_object and _record_id_filter(update)
        ):
            yield update


def _saves(facts: FlowFacts, trigger: str) -> bool:
    start = facts.flow.start
    return facts.trigger_type == trigger and start is not None and start.record_trigger_type in SAVE_TRIGGERS


def recursive_record_update(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    if not _saves(facts, "RecordAfterSave"):
        return
    for update in _updates_of_triggering_record(facts):
        yield Violation(
            update.name,
            f"{update.name} updates the record that triggered this after-save flow, which saves it again and "
            f"can start the flow again",
            element=update.name,
        )


def same_record_field_updates(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    if not _saves(facts, "RecordBeforeSave"):
        return
    for update in _updates_of_triggering_record(facts):
        if (update.input_reference or "").strip().lower() == "$record":
            yield Violation(
                update.name,
                f"{update.name} updates $Record with Update Records; in a before-save flow an Assignment to "
                f"$Record does the same without a DML statement",
                element=update.name,
            )


def missing_record_trigger_filter(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    start = facts.flow.start
    if start is None or facts.trigger_type not in SAVE_FLOWS:
        return
    if start.filters or (start.filter_formula or "").strip() or start.scheduled_paths:
        return
    yield Violation(
        facts.trigger_type or "",
        f"the flow runs on every {start.object or 'record'} save: it has no entry conditions",
        tag="start",
    )


def unspecified_trigger_order(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    if facts.record_triggered and facts.flow.trigger_order is None:
        yield Violation(
            "TriggerOrder",
            "the record-triggered flow has no trigger order, so it runs in no defined order with the other "
            f"flows on {facts.flow.start.object if facts.flow.start else 'its object'}",
            tag="start",
        )
