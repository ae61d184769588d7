"""Custom settings (``customSettingsType`` Hierarchy or List) and ``$Setup``.

A hierarchy setting answers ``$Setup.Setting__c.Field__c`` with the record of the running user, else of their
profile, else the organization default (the record whose ``SetupOwnerId`` is the org) — the whole record
of the most specific level, as Salesforce's ``getInstance`` does. Values are data, kept in the store like any
record (REST, data import and flows write them).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from flowforce.records.ids import KEY_PREFIXES
from flowforce.records.record import Record
from flowforce.records.record_io import row_to_record
from flowforce.records.schema import FieldType, ObjectSchema, SchemaRegistry
from flowforce.records.tables import TableMap

SETUP_OWNER = "SetupOwnerId"


def setup_value_for(conn: Connection, tables: TableMap, registry: SchemaRegistry, setting: str, field: str,
                    user_id: str | None) -> Any:
    """``$Setup.Setting__c.Field__c`` as *user_id* sees it (their record, their profile's, the org's)."""
    if not registry.has(setting):
        return None
    profile_id = None
    if user_id:
        users = tables.table("User")
        profile_id = conn.execute(sa.select(users.c.profileid).where(users.c.id == user_id)).scalar()
    record = setting_record(conn, tables, registry, setting, user_id, profile_id)
    return setup_value(record, registry.get(setting), field)


def setting_record(conn: Connection, tables: TableMap, registry: SchemaRegistry, setting: str,
                   user_id: str | None, profile_id: str | None) -> Record | None:
    """The running user's view of a hierarchy custom setting (None when it has no record at any level)."""
    if not registry.has(setting):
        return None
    obj = registry.get(setting)
    if obj.custom_setting != "Hierarchy":
        return None
    table = tables.table(obj.name)
    owner = table.c[SETUP_OWNER.lower()]
    rows = conn.execute(sa.select(table).where(
        table.c.isdeleted.is_(sa.false()),
        sa.or_(owner.in_([i for i in (user_id, profile_id) if i]),
               owner.like(KEY_PREFIXES["Organization"] + "%")))).all()
    records = [row_to_record(obj, row, obj.stored_fields()) for row in rows]
    for wanted in (user_id, profile_id, None):
        found = next((r for r in records if _owned_by(r, wanted)), None)
        if found is not None:
            return found
    return None


def _owned_by(record: Record, owner: str | None) -> bool:
    value = record.get(SETUP_OWNER)
    if owner is None:
        return isinstance(value, str) and value.startswith(KEY_PREFIXES["Organization"])
    return value == owner


def setup_value(record: Record | None, obj: ObjectSchema, field_name: str) -> Any:
    """A field of the setting's record; a checkbox of a missing record reads false, anything else null."""
    if not obj.has_field(field_name):
        return None
    schema = obj.field(field_name)
    if record is None:
        return False if schema.type is FieldType.BOOLEAN else None
    return record.get(schema.name)
