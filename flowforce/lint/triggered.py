"""Evidence for record-triggered flows: a generated record of the flow's object saved through the org's DML, so
the runtime's own triggers (runtime/trigger_hooks.py) fire the flow as a save would, in a transaction rolled back
afterwards. What the save shows: its SOQL/DML, the error that failed it (an unhandled fault names the element),
and how deep the trigger firings nested (a self-updating after-save flow re-runs the object's other flows)."""

from __future__ import annotations

from typing import Any

from flowforce.lint.evidence import FaultSeen, InputRun
from flowforce.metadata import model
from flowforce.records.record import Record
from flowforce.records.schema import FieldSchema, FieldType, ObjectSchema
from flowforce.runtime import Org
from flowforce.runtime.triggers import OPERATIONS

_FAILED_AT = "Error element "


def generated_record(obj: ObjectSchema) -> dict[str, Any]:
    """A record that passes the object's own checks: its name and every field required on create."""
    values: dict[str, Any] = {}
    for schema in obj.stored_fields():
        if schema.required or (schema is obj.name_field and schema.createable and not schema.auto_number):
            value = _sample(schema)
            if value is not None:
                values[schema.name] = value
    return values


def _sample(schema: FieldSchema) -> Any:
    if schema.type is FieldType.PICKLIST and schema.picklist_values:
        return schema.picklist_values[0].value
    if schema.type is FieldType.REFERENCE:
        return None  # no parent to point at: the save says which one it needs
    if schema.type is FieldType.DATE:
        return "2024-01-01"
    if schema.type.is_text:
        return f"check {schema.name}"[: schema.length or 80]
    if schema.type is FieldType.BOOLEAN:
        return False
    if schema.type.is_decimal:
        return 1
    return None


def triggered_runs(org: Org, flow: model.Flow) -> list[InputRun]:
    """One save per operation the flow fires on (insert; insert then update; insert then delete)."""
    operations = OPERATIONS.get(flow.start.record_trigger_type or "" if flow.start else "", frozenset())
    return [_save_run(org, flow, operation) for operation in ("insert", "update", "delete") if operation in operations]


def _save_run(org: Org, flow: model.Flow, operation: str) -> InputRun:
    object_name = flow.start.object if flow.start else None
    obj = org.registry.get(object_name or "")
    values = generated_record(obj)
    tx = org.transaction()
    try:
        error = _save(tx, obj.name, values, operation)
        limits = tx.limits
        failure = _failure(flow, error)
        depth = org.triggers.state(tx).deepest
        return InputRun(
            label=f"{operation} of one {obj.name}", inputs=values, status="Error" if error else "Finished",
            soql_queries=limits.soql_queries, dml_statements=limits.dml_statements, dml_rows=limits.dml_rows,
            failure=failure, limit_error=error if error and "Too many" in error else None,
            input_error=error if error and failure is None else None,
            trigger_depth=depth,
        )
    finally:
        tx.rollback()


def _save(tx: Any, object_name: str, values: dict[str, Any], operation: str) -> str | None:
    """The save's first error message, or None; the setup saves before *operation* count as the flow's too."""
    try:
        results = tx.insert(object_name, [Record(object_name, values)])
        if results[0].success and operation == "update":
            results = tx.update(object_name, [Record(object_name, {**values, "Id": results[0].id})])
        elif results[0].success and operation == "delete":
            results = tx.delete(object_name, [results[0].id])
    except Exception as error:  # a DML the store refuses is the save's error, as a client would see it
        return f"{type(error).__name__}: {error}"
    errors = [e for r in results for e in r.errors]
    return errors[0].message if errors else None


def _failure(flow: model.Flow, error: str | None) -> FaultSeen | None:
    """An unhandled fault names its element in the save's error (runtime/trigger_runs.failure_error)."""
    if error is None or _FAILED_AT not in error:
        return None
    element = error.split(_FAILED_AT, 1)[1].split(" ", 1)[0]
    return FaultSeen(element, error, False) if element in flow.nodes else None
