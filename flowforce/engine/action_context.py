"""What an invocable action may reach during its bulk call: the run's user and clock, the transaction's
records, and after-commit work for its side effects.

Actions that send something (email, SMS, callouts) queue it with `after_commit`, so nothing leaves when the
transaction rolls back. Reading `records` marks the call as transactional: such a call is not replayed from the
action journal on a bulk retry (engine/journal.py), because its writes were rolled back with the batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from flowforce.engine.ports import RecordGateway
from flowforce.records.record import Record

if TYPE_CHECKING:
    from flowforce.engine.context import RunContext


class NoRecordStore(RuntimeError):
    """The run has no transaction (an engine used as a bare library)."""


class ActionContext:
    __slots__ = ("run", "used_records")

    def __init__(self, run: RunContext) -> None:
        self.run = run
        self.used_records = False

    @property
    def user(self) -> Record:
        return self.run.user

    @property
    def organization(self) -> Record:
        return self.run.organization

    def now(self) -> dt.datetime:
        return self.run.now()

    @property
    def records(self) -> RecordGateway:
        gateway = self.run.records
        if gateway is None:
            raise NoRecordStore("this run has no record store")
        self.used_records = True
        return gateway

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run *callback* when the transaction commits; without a transaction (a bare engine run), now."""
        gateway = self.run.records
        if gateway is None:
            callback()
        else:
            gateway.after_commit(callback)
