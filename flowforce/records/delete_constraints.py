"""What deleting a parent does to the lookups pointing at it (a lookup field's ``deleteConstraint``).

``Restrict`` refuses the delete (DELETE_FAILED) while live children point at the record; ``SetNull`` — the
default of custom lookups — clears the children's field; ``Cascade`` and master-detail delete the children
(dml.py's soft delete). Standard lookups keep the store's built-in behaviour.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from flowforce.records.errors import RecordError
from flowforce.records.record_io import chunks
from flowforce.records.schema import ChildRelationship, FieldSchema, ObjectSchema, SchemaRegistry
from flowforce.records.tables import TableMap


class DeleteFailed(RecordError):
    status_code = "DELETE_FAILED"


def restricted_deletes(conn: sa.Connection, tables: TableMap, registry: SchemaRegistry, obj: ObjectSchema,
                       ids: Sequence[str]) -> dict[str, DeleteFailed]:
    """Record id → why it cannot be deleted (live children hold a Restrict lookup to it)."""
    refused: dict[str, DeleteFailed] = {}
    for child in obj.child_relationships:
        if not child.restricted_delete:
            continue
        child_obj, column = _child_column(tables, registry, child)
        table = tables.table(child_obj.name)
        for batch in chunks(list(ids)):
            for parent_id in conn.execute(sa.select(column).distinct().where(
                    column.in_(batch), table.c.isdeleted.is_(sa.false()))).scalars():
                refused.setdefault(str(parent_id), DeleteFailed(
                    f"Your attempt to delete this {obj.label} could not be completed because it is associated "
                    f"with the following {child_obj.label_plural}.", []))
    return refused


def clear_lookups(conn: sa.Connection, tables: TableMap, registry: SchemaRegistry, obj: ObjectSchema,
                  ids: Sequence[str], modified: dict[str, Any]) -> None:
    """Set custom SetNull lookups pointing at the deleted *ids* to null (*modified*: the audit columns)."""
    for child in obj.child_relationships:
        child_obj, column = _child_column(tables, registry, child)
        if child.cascade_delete or child.restricted_delete or not _clears(child_obj.field(child.field)):
            continue
        table = tables.table(child_obj.name)
        for batch in chunks(list(ids)):
            conn.execute(table.update().where(column.in_(batch)).values({column.name: None, **modified}))


def _clears(schema: FieldSchema) -> bool:
    return schema.custom and schema.nillable


def _child_column(tables: TableMap, registry: SchemaRegistry, child: ChildRelationship
                  ) -> tuple[ObjectSchema, Any]:
    child_obj = registry.get(child.child_sobject)
    return child_obj, tables.table(child_obj.name).c[child_obj.field(child.field).column_name]
