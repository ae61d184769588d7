"""The engine's handle on one records `Transaction`: savepoints that survive Roll Back Records, the schema,
and a cache of compiled queries.

`StoreGateway` is what `RunContext.records` holds when a flow runs against a store. It keeps a stack of
savepoints so that a Roll Back Records element can undo pending changes without invalidating the batch
runner's own savepoint (each is re-opened after it is rolled back).
"""

from __future__ import annotations

from typing import Any

from flowforce.records.schema import SchemaRegistry
from flowforce.records.tables import TableMap
from flowforce.records.transaction import Savepoint as StoreSavepoint
from flowforce.records.transaction import Transaction
from flowforce.soql import CompiledQuery, ast, compile_query


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
    def __init__(self, transaction: Transaction) -> None:
        self.transaction = transaction
        self.registry: SchemaRegistry = transaction.registry
        self.tables: TableMap = transaction.tables
        self.savepoints: list[ReopenableSavepoint] = []
        self._queries: dict[Any, CompiledQuery] = {}

    def savepoint(self) -> ReopenableSavepoint:
        marker = ReopenableSavepoint(self)
        self.savepoints.append(marker)
        return marker

    def rollback_pending_changes(self) -> None:
        """Roll Back Records (§5.12): undo the changes of the running batch (all of them without a batch)."""
        if self.savepoints:
            self.savepoints[-1].reset()

    def compile(self, query: ast.Query) -> CompiledQuery:
        compiled = self._queries.get(query)
        if compiled is None:
            compiled = self._queries[query] = compile_query(query, self.registry, self.tables)
        return compiled

    def run_record_element(self, step: Any, interviews: list[Any]) -> list[Any]:
        return step.execute(self, interviews)
