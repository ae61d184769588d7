"""What the engine needs from outside, declared: the record store as record elements use it, and savepoints.

The engine is a library: it never opens transactions or knows where records live. Whoever runs flows (the
runtime's `Org`) hands it an object that satisfies `RecordGateway` for the transaction the run belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.records.results import SaveResult
from flowforce.records.schema import SchemaRegistry
from flowforce.soql import SoqlError, ast

if TYPE_CHECKING:
    from flowforce.engine.program import Program

RecordInput = Mapping[str, Any]


class FlowSource(Protocol):
    """Finds the program a subflow or a flow action runs (confirmations.md §10: the active version)."""

    def program_for(self, flow_name: str) -> Program | None: ...


class Savepoint(Protocol):
    def rollback(self) -> None: ...

    def release(self) -> None: ...


class RecordGateway(Protocol):
    """One transaction's records, as Get/Create/Update/Delete Records, Roll Back Records and actions use them.

    Every call counts against the transaction's governor limits; a `LimitException` ends the transaction.
    """

    @property
    def registry(self) -> SchemaRegistry: ...

    @property
    def limits(self) -> GovernorLimits: ...

    def query(self, query: ast.Query) -> tuple[list[Record], str]:
        """The rows of one SOQL query (one query against the limits) and its SOQL text for the trace."""
        ...

    def query_each(self, queries: Sequence[ast.Query]) -> list[tuple[list[Record], str] | SoqlError]:
        """Several questions of one bulk element: one SOQL query against the limits, all rows counted; each
        answer is its rows and SOQL text, or the error that question alone was refused with."""
        ...

    def insert(self, object_name: str, records: Sequence[RecordInput], *, all_or_none: bool = True,
               ignore_readonly: bool = False) -> list[SaveResult]: ...

    def update(self, object_name: str, records: Sequence[RecordInput], *, all_or_none: bool = True,
               ignore_readonly: bool = False) -> list[SaveResult]: ...

    def upsert(self, object_name: str, external_id_field: str, records: Sequence[RecordInput], *,
               all_or_none: bool = True, ignore_readonly: bool = False) -> list[SaveResult]: ...

    def delete(self, object_name: str | None, ids: Sequence[str], *, all_or_none: bool = True
               ) -> list[SaveResult]: ...

    def count_empty_dml(self) -> None:
        """A record element with nothing to write still spends a DML statement (reference ST-EMPTY)."""
        ...

    def savepoint(self) -> Savepoint: ...

    def rollback_pending_changes(self) -> None:
        """Roll Back Records (§5.12): undo the running batch's changes."""
        ...

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Side effects: run once the transaction commits, dropped when the changes that queued them roll back."""
        ...

    def post_message(self, channel: str, message: Mapping[str, Any]) -> None:
        """Put an outgoing message (an email, an SMS, a notification) in the org's durable outbox, in this
        transaction: delivered after it commits, never when it — or the savepoint around the call — rolls back."""
        ...
