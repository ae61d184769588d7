"""`StoreGateway`: one records `Transaction` as the engine's `RecordGateway` port (flowforce/engine/ports.py).

It adds what a flow run needs on top of the transaction: compiled SOQL per query shape (cached for the run),
and a stack of savepoints that survive Roll Back Records — each is re-opened at the same logical point after it
is rolled back, so the batch runner's own savepoint stays valid.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flowforce.engine.ports import RecordInput
from flowforce.records.errors import DmlError
from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.records.results import SaveResult
from flowforce.records.schema import SchemaRegistry
from flowforce.records.transaction import Savepoint as StoreSavepoint
from flowforce.records.transaction import Transaction
from flowforce.runtime.run_mode import ObjectAccess
from flowforce.soql import CompiledQuery, SoqlError, ast, compile_query
from flowforce.soql.bound import touched_objects
from flowforce.soql.errors import InvalidTypeError, unsupported_type

if TYPE_CHECKING:
    from flowforce.outbox import Outbox


class NoOutbox(RuntimeError):
    """A gateway built without the org's outbox was asked to send something."""


class ReopenableSavepoint:
    """A savepoint that can be rolled back and opened again at the same logical point."""

    def __init__(self, gateway: StoreGateway) -> None:
        self.gateway = gateway
        self.inner: StoreSavepoint = gateway.transaction.savepoint()

    def reset(self) -> None:
        self.inner.rollback()
        self.inner = self.gateway.transaction.savepoint()

    def rollback(self) -> None:
        self.inner.rollback()
        self._pop()

    def release(self) -> None:
        self.inner.release()
        self._pop()

    def _pop(self) -> None:
        if self in self.gateway.savepoints:
            self.gateway.savepoints.remove(self)


class StoreGateway:
    """*outbox* takes what actions send. *access* is the running user's object permissions when the flow runs in
    user context (run_mode.py); every object a query touches needs read, each DML its operation. None: system
    context, nothing checked."""

    def __init__(self, transaction: Transaction, outbox: Outbox | None = None,
                 access: ObjectAccess | None = None) -> None:
        self.transaction = transaction
        self.outbox = outbox
        self.access = access
        self.savepoints: list[ReopenableSavepoint] = []
        self._queries: dict[Any, CompiledQuery] = {}

    def _check_read(self, compiled: CompiledQuery) -> CompiledQuery:
        if self.access is not None:
            for obj in touched_objects(compiled.resolved):
                if not self.access(obj.name, "read"):
                    raise InvalidTypeError(unsupported_type(obj.name))
        return compiled

    def _refused(self, object_name: str | None, operations: tuple[str, ...], count: int) -> list[SaveResult] | None:
        """Failed results for every record when the user may not do *operations* on the object, else None."""
        if self.access is None or object_name is None:
            return None
        name = self.registry.get(object_name).name
        if all(self.access(name, operation) for operation in operations):
            return None
        error = DmlError("INSUFFICIENT_ACCESS_OR_READONLY", f"insufficient access rights on object: {name}")
        return [SaveResult(None, False, [error]) for _ in range(count)]

    @property
    def registry(self) -> SchemaRegistry:
        return self.transaction.registry

    @property
    def limits(self) -> GovernorLimits:
        return self.transaction.limits

    def query(self, query: ast.Query) -> tuple[list[Record], str]:
        compiled = self._check_read(self._compiled(query))
        return compiled.execute(self.transaction).records, compiled.soql

    def query_each(self, queries: Sequence[ast.Query]) -> list[tuple[list[Record], str] | SoqlError]:
        self.transaction.count_soql(0)
        answers: list[tuple[list[Record], str] | SoqlError] = []
        for query in queries:
            try:
                compiled = self._check_read(self._compiled(query))
                answers.append((compiled.execute(self.transaction, count_query=False).records, compiled.soql))
            except SoqlError as error:
                answers.append(error)
        return answers

    def _compiled(self, query: ast.Query) -> CompiledQuery:
        try:
            compiled = self._queries.get(query)
        except TypeError:  # an unhashable literal: compile without the cache
            return compile_query(query, self.transaction.registry, self.transaction.tables)
        if compiled is None:
            compiled = self._queries[query] = compile_query(query, self.transaction.registry,
                                                            self.transaction.tables)
        return compiled

    def insert(self, object_name: str, records: Sequence[RecordInput], *, all_or_none: bool = True,
               ignore_readonly: bool = False) -> list[SaveResult]:
        refused = self._refused(object_name, ("create",), len(records))
        if refused is not None:
            return refused
        return self.transaction.insert(object_name, records, all_or_none=all_or_none, ignore_readonly=ignore_readonly)

    def update(self, object_name: str, records: Sequence[RecordInput], *, all_or_none: bool = True,
               ignore_readonly: bool = False) -> list[SaveResult]:
        refused = self._refused(object_name, ("edit",), len(records))
        if refused is not None:
            return refused
        return self.transaction.update(object_name, records, all_or_none=all_or_none, ignore_readonly=ignore_readonly)

    def upsert(self, object_name: str, external_id_field: str, records: Sequence[RecordInput], *,
               all_or_none: bool = True, ignore_readonly: bool = False) -> list[SaveResult]:
        refused = self._refused(object_name, ("create", "edit"), len(records))
        if refused is not None:
            return refused
        return self.transaction.upsert(object_name, external_id_field, records, all_or_none=all_or_none,
                                       ignore_readonly=ignore_readonly)

    def delete(self, object_name: str | None, ids: Sequence[str], *, all_or_none: bool = True) -> list[SaveResult]:
        objects = [self.registry.object_for_id(record_id) for record_id in ids] if object_name is None else []
        for name in {object_name} if object_name else {obj.name for obj in objects if obj is not None}:
            refused = self._refused(name, ("delete",), len(ids))
            if refused is not None:
                return refused
        return self.transaction.delete(object_name, ids, all_or_none=all_or_none)

    def count_empty_dml(self) -> None:
        self.transaction.limits.check_dml_statement()

    def savepoint(self) -> ReopenableSavepoint:
        marker = ReopenableSavepoint(self)
        self.savepoints.append(marker)
        return marker

    def rollback_pending_changes(self) -> None:
        """Roll Back Records (§5.12): undo the changes of the running batch (all of them without a batch)."""
        if self.savepoints:
            self.savepoints[-1].reset()

    def after_commit(self, callback: Callable[[], None]) -> None:
        self.transaction.after_commit(callback)

    def post_message(self, channel: str, message: Mapping[str, Any]) -> None:
        if self.outbox is None:
            raise NoOutbox(f"this run has no outbox to send the {channel} message through")
        self.outbox.post(self.transaction, channel, message)
