"""A transaction: the unit of work of a flow interview batch or a REST call, with its governor limits.

Everything inside commits together or not at all. One call to insert/update/upsert/delete/undelete is one DML
statement for the limits, even for an empty list (flows count DML on empty input), and its records count as
DML rows. SOQL is executed by the SOQL engine on :attr:`Transaction.connection`; it calls
:meth:`Transaction.count_soql` once per query.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection, NestedTransaction

from flowforce.records.custom_settings import setup_value_for
from flowforce.records.dml import DmlExecutor
from flowforce.records.errors import InvalidCrossReferenceKey, InvalidTypeForOperation
from flowforce.records.hooks import RecordHooks
from flowforce.records.ids import is_id, normalize_id
from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.records.record_io import load_rows, select_fields
from flowforce.records.results import SaveResult
from flowforce.records.schema import ObjectSchema, SchemaRegistry
from flowforce.records.tables import TableMap

if TYPE_CHECKING:
    from flowforce.records.store import RecordStore

# The user DML runs as when the caller names none (an 18-char User id: 005 + pod + 1).
SYSTEM_USER_ID = normalize_id("0055f0000000001")

RecordInput = Mapping[str, Any]
AfterCommit = Callable[[], None]
log = logging.getLogger("flowforce.records")


class Savepoint:
    """A point to roll back to inside the transaction (flows' Roll Back Records, per-interview isolation).

    Rolling back also forgets the after-commit work queued since the savepoint: a side effect belongs to the
    changes that asked for it.
    """

    def __init__(self, nested: NestedTransaction, after_commit: list[AfterCommit]) -> None:
        self._nested = nested
        self._after_commit = after_commit
        self._mark = len(after_commit)

    def rollback(self) -> None:
        if self._nested.is_active:
            self._nested.rollback()
            del self._after_commit[self._mark:]

    def release(self) -> None:
        if self._nested.is_active:
            self._nested.commit()

    @property
    def is_active(self) -> bool:
        return self._nested.is_active


class Transaction:
    """*system* transactions are the platform's own (flow record sync, interview bookkeeping): they may write
    objects clients and flows cannot (reference: Flow and FlowDefinitionView are read-only over the API)."""

    def __init__(self, store: RecordStore, user_id: str | None = None, limits: GovernorLimits | None = None, *,
                 system: bool = False) -> None:
        self.store = store
        self.registry: SchemaRegistry = store.registry
        self.tables: TableMap = store.tables
        self.hooks: RecordHooks = store.hooks
        self.user_id = normalize_id(user_id) if user_id else SYSTEM_USER_ID
        self.limits = limits if limits is not None else GovernorLimits()
        self.system = system
        self.connection: Connection = store.engine.connect()
        self._root = self.connection.begin()
        self._dml = DmlExecutor(self)
        self._after_commit: list[AfterCommit] = []

    # --- lifecycle -----------------------------------------------------------------------------------------
    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    @property
    def is_active(self) -> bool:
        return self._root.is_active

    def commit(self) -> None:
        """Commit, then run the after-commit work (side effects happen only for changes that were kept)."""
        try:
            if self._root.is_active:
                self._root.commit()
        except BaseException:
            self._after_commit.clear()
            raise
        finally:
            self.connection.close()
        pending, self._after_commit = self._after_commit, []
        for callback in pending:
            try:
                callback()
            except Exception:  # the data is committed; one failing side effect must not undo the call's reply
                log.exception("after-commit work failed")

    def rollback(self) -> None:
        self._after_commit.clear()
        try:
            if self._root.is_active:
                self._root.rollback()
        finally:
            self.connection.close()

    def savepoint(self) -> Savepoint:
        return Savepoint(self.connection.begin_nested(), self._after_commit)

    @contextmanager
    def as_platform(self) -> Iterator[Transaction]:
        """Platform bookkeeping inside a user's transaction (a paused interview's FlowInterview row)."""
        previous, self.system = self.system, True
        try:
            yield self
        finally:
            self.system = previous

    def after_commit(self, callback: AfterCommit) -> None:
        """Run *callback* once this transaction commits; never when it, or the savepoint around the call that
        queued it, rolls back."""
        self._after_commit.append(callback)

    def now(self) -> dt.datetime:
        return self.store.now()

    def require_writable(self, obj: ObjectSchema, verb: str) -> None:
        """Objects the platform keeps itself refuse client and flow DML (system transactions may write them)."""
        allowed = {"inserted": obj.createable, "updated": obj.updateable, "deleted": obj.deletable}[verb]
        if not allowed and not self.system:
            raise InvalidTypeForOperation.for_operation(verb, obj.label)

    # --- limits --------------------------------------------------------------------------------------------
    def count_soql(self, rows: int = 0) -> None:
        """Count one SOQL query and the rows it returned (raises LimitException past a limit)."""
        self.limits.check_soql_query()
        self.limits.check_soql_rows(rows)

    def count_soql_rows(self, rows: int) -> None:
        self.limits.check_soql_rows(rows)

    def _count_dml(self, rows: int) -> None:
        self.limits.check_dml_statement()
        self.limits.check_dml_rows(rows)

    # --- DML -----------------------------------------------------------------------------------------------
    def insert(self, object_name: str, records: Sequence[RecordInput], *, all_or_none: bool = True,
               ignore_readonly: bool = False) -> list[SaveResult]:
        """Create records. *ignore_readonly* drops non-writable fields instead of failing (flows pass queried
        record variables that still carry system fields; Apex and flows ignore those, REST rejects them)."""
        obj = self.registry.get(object_name)
        self.require_writable(obj, "inserted")
        self._count_dml(len(records))
        return self._dml.insert(obj, records, all_or_none=all_or_none, ignore_readonly=ignore_readonly)

    def update(self, object_name: str, records: Sequence[RecordInput], *, all_or_none: bool = True,
               ignore_readonly: bool = False) -> list[SaveResult]:
        obj = self.registry.get(object_name)
        self.require_writable(obj, "updated")
        self._count_dml(len(records))
        return self._dml.update(obj, records, all_or_none=all_or_none, ignore_readonly=ignore_readonly)

    def upsert(self, object_name: str, external_id_field: str, records: Sequence[RecordInput], *,
               all_or_none: bool = True, ignore_readonly: bool = False) -> list[SaveResult]:
        obj = self.registry.get(object_name)
        self.require_writable(obj, "inserted")
        self.require_writable(obj, "updated")
        self._count_dml(len(records))
        return self._dml.upsert(obj, external_id_field, records, all_or_none=all_or_none,
                                ignore_readonly=ignore_readonly)

    def delete(self, object_name: str | None, ids: Sequence[str], *, all_or_none: bool = True) -> list[SaveResult]:
        """Soft-delete (IsDeleted = true) by id; *object_name* None means "from each id's key prefix"."""
        if object_name:
            self.require_writable(self.registry.get(object_name), "deleted")
        self._count_dml(len(ids))
        return self._dml.delete(object_name, ids, all_or_none=all_or_none)

    def undelete(self, object_name: str | None, ids: Sequence[str], *, all_or_none: bool = True
                 ) -> list[SaveResult]:
        self._count_dml(len(ids))
        return self._dml.undelete(object_name, ids, all_or_none=all_or_none)

    # --- reads ---------------------------------------------------------------------------------------------
    def retrieve(self, object_name: str, ids: Sequence[str], fields: Sequence[str] | None = None
                 ) -> list[Record | None]:
        """Records by id in the order asked, None for unknown, deleted or malformed ids (not a SOQL query)."""
        obj = self.registry.get(object_name)
        for name in fields or ():
            obj.field(name)  # INVALID_FIELD even when nothing matches
        wanted = [normalize_id(i) if is_id(i) else None for i in ids]
        found = load_rows(self.connection, self.tables, obj, [i for i in wanted if i])
        results: list[Record | None] = []
        for record_id in wanted:
            record = found.get(record_id) if record_id else None
            results.append(select_fields(obj, record.copy(), fields, self) if record is not None else None)
        return results

    def fetch_record(self, object_name: str, record_id: str) -> Record | None:
        """One live record with all stored fields (used by formula evaluation for parent lookups)."""
        if not is_id(record_id):
            return None
        obj = self.registry.get(object_name)
        return load_rows(self.connection, self.tables, obj, [normalize_id(record_id)]).get(normalize_id(record_id))

    def setup_value(self, setting: str, field: str, user_id: str | None) -> Any:
        """``$Setup.Setting__c.Field__c`` as *user_id* sees it (their record, their profile's, the org's)."""
        return setup_value_for(self.connection, self.tables, self.registry, setting, field, user_id)

    def require_record(self, object_name: str, record_id: str) -> Record:
        record = self.fetch_record(object_name, record_id)
        if record is None:
            raise InvalidCrossReferenceKey()
        return record
