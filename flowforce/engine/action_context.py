"""What an invocable action may reach during its bulk call: the run's user and clock, the transaction's
records, and effects for what it sends.

Actions that send something (email, SMS, callouts) register it per request with `effect` (or `after_commit`),
never directly: an effect is applied in the transaction (an outbox row, an after-commit callback), so nothing
leaves when the transaction rolls back, and it is kept with the request's result in the action journal, so a
bulk retry that replays the result applies the effect again instead of calling the action again
(engine/journal.py). Reading `records` marks the call as transactional: such a call is re-invoked on a retry,
because its writes were rolled back with the batch.
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


#: Applied in the running transaction; recorded so a replayed request applies it again.
Effect = Callable[[RecordGateway | None], None]


class ActionContext:
    __slots__ = ("effects", "run", "used_records")

    def __init__(self, run: RunContext) -> None:
        self.run = run
        self.used_records = False
        #: Request position → the effects registered for it during this call.
        self.effects: dict[int, list[Effect]] = {}

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

    def effect(self, request: int, effect: Effect) -> None:
        """Apply *effect* for request number *request* of this call, now, in the transaction."""
        self.effects.setdefault(request, []).append(effect)
        effect(self.run.records)

    def after_commit(self, request: int, callback: Callable[[], None]) -> None:
        """Run *callback* for request number *request* when the transaction commits (without a transaction — a
        bare engine run — at once)."""
        self.effect(request, lambda gateway: run_after_commit(gateway, callback))


def run_after_commit(gateway: RecordGateway | None, callback: Callable[[], None]) -> None:
    if gateway is None:
        callback()
    else:
        gateway.after_commit(callback)
