"""`StoreGateway`: one records `Transaction` as the engine's `RecordGateway` port (flowforce/engine/ports.py).

It adds what a flow run needs on top of the transaction: compiled SOQL per query shape (cached for the run),
and a stack of savepoints that survive Roll Back Records — each is re-opened at the same logical point after it
is rolled back, so the batch runner's own savepoint stays valid.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flowforce.engine.ports import RecordInput
from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.records.results import SaveResult
from flowforce.records.schema import SchemaRegistry
from flowforce.records.transaction import Savepoint as StoreSavepoint
from flowforce.records.transaction import Transaction
from flowforce.soql import CompiledQuery, SoqlError, ast, compile_query

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
    def __init__(self, transaction: Transaction, outbox: Outbox | None = None) -> None:
        self.transaction = transaction
        self.outbox = outbox
        self.savepoints: list[ReopenableSavepoint] = []
        self._queries: dict[Any, CompiledQuery] = {}

    @property
    def registry(self) -> SchemaRegistry:
        return self.transaction.registry

    @property
    def limits(self) -> GovernorLimits:
        return self.transaction.limits

    def query(self, query: ast.Query) -> tuple[list[Record], str]:
        compiled = self._compiled(query)
        return compiled.execute(self.transaction).records, compiled.soql

    def query_each(self, queries: Sequence[ast.Query]) -> list[tuple[list[Record], str] | SoqlError]:
        self.transaction.count_soql(0)
        answers: list[tuple[list[Record], str] | SoqlError] = []
        for query in queries:
            try:
                compiled = self._compiled(query)
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
        return self.transaction.insert(object_name, records, all_or_none=all_or_none, ignore_readonly=ignore_readonly)

    def update(self, object_name: str, records: Sequence[RecordInput], *, all_or_none: bool = True,
               ignore_readonly: bool = False) -> list[SaveResult]:
        return self.transaction.update(object_name, records, all_or_none=all_or_none, ignore_readonly=ignore_readonly)

    def upsert(self, object_name: str, external_id_field: str, records: Sequence[RecordInput], *,
               all_or_none: bool = True, ignore_readonly: bool = False) -> list[SaveResult]:
        return self.transaction.upsert(object_name, external_id_field, records, all_or_none=all_or_none,
                                       ignore_readonly=ignore_readonly)

    def delete(self, object_name: str | None, ids: Sequence[str], *, all_or_none: bool = True) -> list[SaveResult]:
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
