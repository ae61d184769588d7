"""Checks a coerced record must pass before it is written, in Salesforce's order: system validation (required,
length, picklist, email) first, then the object's validation rules (which only run on otherwise-valid records).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flowforce.records.errors import (
    FieldCustomValidationException,
    InvalidEmailAddress,
    InvalidOrNullForRestrictedPicklist,
    RecordError,
    RequiredFieldMissing,
    StringTooLong,
)
from flowforce.records.formula_fields import RecordFormulaEnv
from flowforce.records.schema import FieldSchema, FieldType, ObjectSchema, RecordTypeInfo

# Deliberately loose (Salesforce accepts most RFC 5322 local parts); it rejects what Salesforce rejects in
# practice: missing @, spaces, missing dot-separated domain.
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def is_email_address(value: str) -> bool:
    return bool(_EMAIL_RE.match(value))


def missing_required(obj: ObjectSchema, values: Mapping[str, Any], fields: list[FieldSchema]) -> RecordError | None:
    """REQUIRED_FIELD_MISSING for every non-nillable field among *fields* whose value is null."""
    missing = [
        f.name
        for f in fields
        if not f.nillable and f.createable and not f.auto_number and values.get(f.name) is None
    ]
    return RequiredFieldMissing.for_fields(missing) if missing else None


def check_field_value(field: FieldSchema, value: Any) -> RecordError | None:
    if value is None or not isinstance(value, str):
        return None
    if field.type is FieldType.MULTIPICKLIST:
        return _check_multipicklist(field, value)
    if field.length and field.type.is_text and field.type not in (FieldType.REFERENCE, FieldType.ID) \
            and len(value) > field.length:
        return StringTooLong.for_value(field.label, field.name, value, field.length)
    if field.type is FieldType.PICKLIST and field.restricted_picklist and field.picklist_value(value) is None:
        return InvalidOrNullForRestrictedPicklist.for_value(field.name, value)
    if field.type is FieldType.EMAIL and not is_email_address(value):
        return InvalidEmailAddress.for_value(field.label, field.name, value)
    return None


def _check_multipicklist(field: FieldSchema, value: str) -> RecordError | None:
    if field.restricted_picklist:
        for item in value.split(";"):
            if field.picklist_value(item) is None:
                return InvalidOrNullForRestrictedPicklist.for_value(field.name, item)
    if field.length and len(value) > field.length:
        return StringTooLong.for_value(field.label, field.name, value, field.length)
    return None


def check_record_type_value(field: FieldSchema, value: str, record_type: RecordTypeInfo | None) -> RecordError | None:
    """A restricted picklist takes only the values the record's record type offers for it (Salesforce answers
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST); a record type that does not list the field leaves it alone."""
    if record_type is None or not field.restricted_picklist:
        return None
    offered = record_type.picklist_values.get(field.name.lower())
    if offered is None:
        return None
    allowed = {v.lower() for v in offered}
    items = value.split(";") if field.type is FieldType.MULTIPICKLIST else [value]
    refused = next((item for item in items if item.lower() not in allowed), None)
    return None if refused is None else InvalidOrNullForRestrictedPicklist.for_value(field.name, refused)


def canonical_picklist(field: FieldSchema, value: Any) -> Any:
    """Restricted picklist values match case-insensitively and are stored in their defined casing."""
    if not isinstance(value, str) or not field.restricted_picklist:
        return value
    if field.type is FieldType.MULTIPICKLIST:
        return ";".join((field.picklist_value(v) or _Raw(v)).value for v in value.split(";"))
    entry = field.picklist_value(value)
    return entry.value if entry else value


class _Raw:
    def __init__(self, value: str) -> None:
        self.value = value


def run_validation_rules(obj: ObjectSchema, env: RecordFormulaEnv) -> RecordError | None:
    """The first active rule whose condition is true, as FIELD_CUSTOM_VALIDATION_EXCEPTION.

    Rules the formula engine cannot compile or evaluate are skipped rather than blocking every save.
    """
    from flowforce.records.formula_fields import compile_cached

    for rule in obj.validation_rules:
        if not rule.active:
            continue
        try:
            fires = compile_cached(rule.formula, "boolean", None).evaluate(env)
        except Exception:
            continue
        if fires is True:
            fields = [obj.field(rule.error_field).name] if rule.error_field and obj.has_field(rule.error_field) \
                else []
            return FieldCustomValidationException(rule.error_message, fields)
    return None
