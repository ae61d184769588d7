"""What the runtime plugs into every DML of a store, so that `records/` never imports the engine.

Salesforce's order of execution for the parts flowforce has (reference/flow-metadata.md §6, record-triggered
flows): before-save work changes the records in memory, then system and custom validation, the save, after-save
work; after-commit work runs once the transaction commits. A store calls `RecordHooks` at those points for
every DML — REST, composite, data import, flows' own record elements, Python actions — and the runtime decides
what they do (record-triggered flows). Each hook returns one entry per record: None, or the error that fails
that record's save.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Protocol

from flowforce.records.errors import RecordError
from flowforce.records.record import Record
from flowforce.records.schema import ObjectSchema

if TYPE_CHECKING:
    from flowforce.records.transaction import Transaction

SaveOperation = Literal["insert", "update"]
RecordErrors = Sequence[RecordError | None]


class RecordHooks(Protocol):
    def before_save(self, tx: Transaction, obj: ObjectSchema, operation: SaveOperation,
                    records: Sequence[Record], priors: Sequence[Record | None]) -> RecordErrors:
        """May change *records* in place (before-save flows); runs before validation."""
        ...

    def after_save(self, tx: Transaction, obj: ObjectSchema, operation: SaveOperation,
                   records: Sequence[Record], priors: Sequence[Record | None]) -> RecordErrors: ...

    def before_delete(self, tx: Transaction, obj: ObjectSchema, records: Sequence[Record]) -> RecordErrors:
        """*records* are the stored rows about to be deleted."""
        ...


class NoHooks:
    """A store nobody has plugged anything into."""

    def before_save(self, tx: Transaction, obj: ObjectSchema, operation: SaveOperation,
                    records: Sequence[Record], priors: Sequence[Record | None]) -> RecordErrors:
        return [None] * len(records)

    def after_save(self, tx: Transaction, obj: ObjectSchema, operation: SaveOperation,
                   records: Sequence[Record], priors: Sequence[Record | None]) -> RecordErrors:
        return [None] * len(records)

    def before_delete(self, tx: Transaction, obj: ObjectSchema, records: Sequence[Record]) -> RecordErrors:
        return [None] * len(records)


NO_HOOKS = NoHooks()
