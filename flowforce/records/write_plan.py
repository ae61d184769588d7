"""What a DML call needs to know about an object, worked out once per object instead of once per record.

Bulk flow DML validates hundreds of records per call (bench/bulk.py); looking fields up by name, lower-casing
names and deciding which checks apply to which field is the same work for every record of the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from threading import Lock

from flowforce.records.defaults import needs_default
from flowforce.records.schema import FieldSchema, FieldType, ObjectSchema


@dataclass(frozen=True)
class WritePlan:
    stored: tuple[FieldSchema, ...]
    #: Lower-cased names of `stored`, in the same order (Record keys are folded names).
    folded: tuple[str, ...]
    columns: tuple[str, ...]
    #: Fields a create must fill: non-nillable, createable, not auto-numbered.
    required: tuple[FieldSchema, ...]
    #: Fields whose values `validation.check_field_value` can reject (lengths, picklists, emails).
    value_checked: tuple[FieldSchema, ...]
    references: tuple[FieldSchema, ...]
    #: (field, folded name, has a default value, blank value) for filling in what the caller left out; the
    #: blank value is what an unset field stores (checkboxes are never null).
    fill: tuple[tuple[FieldSchema, str, bool, bool | None], ...]


def _value_checked(field: FieldSchema) -> bool:
    if field.type in (FieldType.MULTIPICKLIST, FieldType.EMAIL):
        return True
    if field.type is FieldType.PICKLIST and field.restricted_picklist:
        return True
    return bool(field.length) and field.type.is_text and field.type not in (FieldType.REFERENCE, FieldType.ID)


def _build(obj: ObjectSchema) -> WritePlan:
    stored = tuple(obj.stored_fields())
    return WritePlan(
        stored=stored,
        folded=tuple(f.name.lower() for f in stored),
        columns=tuple(f.column_name for f in stored),
        required=tuple(f for f in stored if not f.nillable and f.createable and not f.auto_number),
        value_checked=tuple(f for f in stored if _value_checked(f)),
        references=tuple(f for f in stored if f.type is FieldType.REFERENCE),
        fill=tuple((f, f.name.lower(), needs_default(f), False if f.type is FieldType.BOOLEAN else None)
                   for f in stored),
    )


_PLANS: dict[int, tuple[ObjectSchema, WritePlan]] = {}
_LOCK = Lock()


def write_plan(obj: ObjectSchema) -> WritePlan:
    entry = _PLANS.get(id(obj))
    if entry is not None and entry[0] is obj:
        return entry[1]
    plan = _build(obj)
    with _LOCK:
        _PLANS[id(obj)] = (obj, plan)
    return plan
