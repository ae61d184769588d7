"""Record-triggered flows on every DML: the org's `records/hooks.RecordHooks`.

The store calls these hooks from inside each DML call — REST sobjects and composite, data import, flows'
own record elements, Python actions — so every path fires the same flows, in Salesforce's order of
execution (records/hooks.py): before-save flows change the records in memory, validation runs, the rows are
written, after-save flows run (and queue their asynchronous and scheduled paths in the same transaction, so
those exist only if it commits), all inside the DML's savepoint.

Re-entry (UNCONFIRMED, from the architects' guide's "Flow handles recursion control"): when an after-save
flow updates its own triggering record, the nested save runs the object's before-save and after-save flows
again, except a flow already running for that record, which does not re-enter. A chain deeper than
Apex's 16 trigger levels fails the record with "maximum trigger depth exceeded".
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from flowforce.records.errors import CannotExecuteFlowTrigger, RecordError
from flowforce.records.hooks import RecordErrors, SaveOperation
from flowforce.records.record import Record
from flowforce.records.record_io import chunks
from flowforce.records.schema import ObjectSchema
from flowforce.runtime.event_waits import queue_event_resume
from flowforce.runtime.lifecycle import RunningUser, running_user
from flowforce.runtime.trigger_jobs import queue_paths, queue_runs, run_job
from flowforce.runtime.trigger_runs import CHUNK, TriggerCall, run_triggered
from flowforce.runtime.triggers import (
    AFTER_SAVE,
    BEFORE_DELETE,
    BEFORE_SAVE,
    PLATFORM_EVENT,
    Trigger,
    TriggerIndex,
    active_flows,
)

if TYPE_CHECKING:
    from flowforce.records.transaction import Transaction
    from flowforce.runtime.org import Org

MAX_TRIGGER_DEPTH = 16


@dataclass
class SaveState:
    """One transaction's trigger bookkeeping: its user (read once) and which flows run for which records."""

    user: RunningUser | None
    running: set[tuple[str, str | None]] = field(default_factory=set)
    depth: int = 0
    #: Flows that do not fire in this transaction (a Flow Test saving the record its flow will be run on).
    held: set[str] = field(default_factory=set)
    #: The deepest nesting of trigger firings this transaction reached (`flowforce check --run` reports it).
    deepest: int = 0


class FlowTriggers:
    def __init__(self, org: Org) -> None:
        self.org = org
        self._index: TriggerIndex | None = None
        self._indexed: object = None
        self._states: WeakKeyDictionary[Transaction, SaveState] = WeakKeyDictionary()
        self._lock = threading.Lock()

    def index(self) -> TriggerIndex:
        """The triggers of the flow versions loaded now (rebuilt when the library changes)."""
        library = self.org.loaded_flows
        with self._lock:
            if self._index is None or self._indexed is not library:
                self._index = TriggerIndex(active_flows(library), self.org.engine.compiled)
                self._indexed = library
            return self._index

    def state(self, tx: Transaction) -> SaveState:
        with self._lock:
            found = self._states.get(tx)
        if found is None:
            found = SaveState(running_user(tx, tx.user_id))
            with self._lock:
                self._states[tx] = found
        return found

    def hold(self, tx: Transaction, flow_api_name: str) -> None:
        """*flow_api_name* does not fire for the rest of *tx*."""
        self.state(tx).held.add(flow_api_name.lower())

    # --- records/hooks.RecordHooks ------------------------------------------------------------------------
    def before_save(self, tx: Transaction, obj: ObjectSchema, operation: SaveOperation,
                    records: Sequence[Record], priors: Sequence[Record | None]) -> RecordErrors:
        triggers = self.index().triggers(obj.name, BEFORE_SAVE, operation)
        return self._fire(tx, triggers, operation, records, priors, before_save=True)

    def after_save(self, tx: Transaction, obj: ObjectSchema, operation: SaveOperation,
                   records: Sequence[Record], priors: Sequence[Record | None]) -> RecordErrors:
        index = self.index()
        if operation == "insert":
            self._publish(tx, obj, index.triggers(obj.name, PLATFORM_EVENT, operation), records)
        return self._fire(tx, index.triggers(obj.name, AFTER_SAVE, operation), operation, records, priors)

    def before_delete(self, tx: Transaction, obj: ObjectSchema, records: Sequence[Record]) -> RecordErrors:
        triggers = self.index().triggers(obj.name, BEFORE_DELETE, "delete")
        return self._fire(tx, triggers, "delete", records, [None] * len(records))

    def _publish(self, tx: Transaction, obj: ObjectSchema, triggers: list[Trigger], events: Sequence[Record]) -> None:
        """Platform events (reference/flow-metadata.md §8.3): the flows they trigger run from the queue once the
        publishing transaction commits, as the platform's user, one interview per event, 200 to a batch; and the
        interviews paused on the event type are looked at (runtime/event_waits.py)."""
        ids = [event.id for event in events if event.id is not None]
        if obj.name.lower().endswith("__e") and ids:
            queue_event_resume(self.org, tx, obj.name, ids)
        queue_runs(self.org, tx, [run_job(trigger.program, path=None, object_name=obj.name, ids=batch, user_id=None)
                                  for trigger in triggers for batch in chunks(ids, CHUNK)])

    # --- firing -------------------------------------------------------------------------------------------
    def _fire(self, tx: Transaction, triggers: list[Trigger], operation: str, records: Sequence[Record],
              priors: Sequence[Record | None], *, before_save: bool = False) -> list[RecordError | None]:
        errors: list[RecordError | None] = [None] * len(records)
        if not triggers or not records:
            return errors
        state = self.state(tx)
        if state.depth >= MAX_TRIGGER_DEPTH:
            return [CannotExecuteFlowTrigger("maximum trigger depth exceeded")] * len(records)
        state.depth += 1
        state.deepest = max(state.deepest, state.depth)
        try:
            for trigger in triggers:
                if trigger.key in state.held:
                    continue
                positions = [i for i, record in enumerate(records)
                             if errors[i] is None and (trigger.key, record.id) not in state.running]
                if positions and not self._fire_one(tx, state, trigger, operation, records, priors, positions,
                                                    errors, before_save):
                    break
        finally:
            state.depth -= 1
        return errors

    def _fire_one(self, tx: Transaction, state: SaveState, trigger: Trigger, operation: str,
                  records: Sequence[Record], priors: Sequence[Record | None], positions: list[int],
                  errors: list[RecordError | None], before_save: bool) -> bool:
        """Run one flow for the records at *positions*; False when a governor limit failed them all."""
        guard = {(trigger.key, records[i].id) for i in positions}
        state.running |= guard
        try:
            call = TriggerCall(trigger.program, trigger.program.start, trigger.entry, operation, before_save)
            run = run_triggered(self.org, tx, call, [records[i] for i in positions], [priors[i] for i in positions],
                                state.user)
        finally:
            state.running -= guard
        if run.limit_error is not None:
            errors[:] = [run.errors[0]] * len(errors)
            return False
        for offset, position in enumerate(positions):
            errors[position] = run.errors[offset]
        if trigger.paths and operation != "delete":
            queue_paths(self.org, tx, trigger, [records[positions[offset]] for offset in run.succeeded],
                        state.user.user_id if state.user else None)
        return True
