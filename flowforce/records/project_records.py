"""Keeps the records the metadata defines (record types, custom metadata records) in the store.

They are data in Salesforce — flows look a RecordType up by DeveloperName and read custom metadata with Get
Records — but their source is the project, so every start makes the store match it: missing ones are inserted
under their stable ids, changed ones updated, ones the project no longer has deleted. One system transaction,
outside governor limits: this is the platform's bookkeeping, like the flow records.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from flowforce.records.coercion import coerce_value
from flowforce.records.errors import DmlException
from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.records.record_io import load_rows
from flowforce.records.results import SaveResult
from flowforce.records.schema import ObjectSchema, ProjectRecord
from flowforce.records.store import RecordStore
from flowforce.records.transaction import Transaction

#: Standard objects whose records come from metadata only (besides every custom metadata type).
METADATA_OBJECTS = ("RecordType", "CustomNotificationType", "EntityDefinition")


def metadata_objects(store: RecordStore) -> list[ObjectSchema]:
    """Objects whose records come from metadata only: METADATA_OBJECTS and the custom metadata types."""
    registry = store.registry
    found = [obj for obj in registry.objects() if obj.name.lower().endswith("__mdt")]
    return found + [registry.get(name) for name in METADATA_OBJECTS if registry.has(name)]


def sync_project_records(store: RecordStore) -> None:
    """Make the store's record types and custom metadata records those of the project."""
    wanted: dict[str, list[ProjectRecord]] = {}
    for record in store.registry.project_records:
        wanted.setdefault(store.registry.get(record.object_name).name, []).append(record)
    objects = metadata_objects(store)
    if not wanted and not any(_has_rows(store, obj) for obj in objects):
        return
    for attempt in (1, 2):
        try:
            with store.transaction(limits=GovernorLimits.unlimited(), system=True) as tx:
                for obj in objects:
                    _sync_object(tx, obj, wanted.get(obj.name, []))
            return
        except sa.exc.IntegrityError:
            if attempt == 2:  # another process starting on the same database inserted them first: look again
                raise


def _has_rows(store: RecordStore, obj: ObjectSchema) -> bool:
    table = store.tables.table(obj.name)
    with store.reading() as conn:
        return conn.execute(sa.select(table.c.id).limit(1)).first() is not None


def _sync_object(tx: Transaction, obj: ObjectSchema, records: list[ProjectRecord]) -> None:
    table = tx.store.tables.table(obj.name)
    existing = {row.id: row.isdeleted for row in tx.connection.execute(sa.select(table.c.id, table.c.isdeleted))}
    inserts = [{"Id": r.record_id, **r.values} for r in records if r.record_id not in existing]
    current = load_rows(tx.connection, tx.store.tables, obj, [r.record_id for r in records if r.record_id in existing],
                        include_deleted=True)
    updates = [{"Id": r.record_id, **r.values} for r in records
               if r.record_id in current and _differs(obj, current[r.record_id], r)]
    revived = [r.record_id for r in records if existing.get(r.record_id)]
    stale = [record_id for record_id, deleted in existing.items()
             if not deleted and record_id not in {r.record_id for r in records}]
    if revived:
        _check(tx.undelete(obj.name, revived))
    if inserts:
        _check(tx.insert(obj.name, inserts))
    if updates:
        _check(tx.update(obj.name, updates))
    if stale:
        _check(tx.delete(obj.name, stale))


def _differs(obj: ObjectSchema, stored: Record, record: ProjectRecord) -> bool:
    """Whether the metadata changed the record (unchanged ones are not rewritten at every start)."""
    return any(stored.get(obj.field(name).name) != coerce_value(obj.field(name), value)
               for name, value in record.values.items())


def _check(results: Iterable[SaveResult]) -> None:
    """A metadata record the store refuses means the project itself is inconsistent: say which and why."""
    failed = next((result for result in results if not result.success), None)
    if failed is not None:
        raise DmlException(failed.errors[0])
