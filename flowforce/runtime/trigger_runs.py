"""Run one triggered flow for many records: one interview per record that meets the entry conditions, in
chunks of 200 advanced together (so Get/Create/Update Records run once per element for the chunk), inside a
transaction the caller owns — the DML's own for record-triggered flows, a job's for asynchronous paths,
schedules and platform events.

Salesforce's failure rules per record (reference/flow-metadata.md §5.11, §8.1): a Custom Error fails that
record's save with FIELD_CUSTOM_VALIDATION_EXCEPTION; an unhandled fault with CANNOT_EXECUTE_FLOW_TRIGGER,
naming the flow and the element; a governor limit fails every record of the DML (the limits are the DML's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flowforce.engine.batch import BatchResult, InterviewResult, settle_batch
from flowforce.engine.context import RunContext
from flowforce.engine.entry import EntryCheck
from flowforce.engine.interview import FailureInfo, Interview
from flowforce.engine.program import Program, Step
from flowforce.records.errors import CannotExecuteFlowTrigger, FieldCustomValidationException, RecordError
from flowforce.records.record import Record
from flowforce.runtime.trigger_parents import parents_of

if TYPE_CHECKING:
    from flowforce.records.transaction import Transaction
    from flowforce.runtime.org import Org, RunAs

CHUNK = 200


@dataclass
class TriggeredRun:
    """Per record position: the error that fails its save (None: it did not enter, or its interview ran)."""

    errors: list[RecordError | None]
    #: Positions whose interview entered and succeeded (their scheduled paths are queued).
    succeeded: list[int] = field(default_factory=list)
    limit_error: str | None = None
    batches: list[BatchResult] = field(default_factory=list)


@dataclass(frozen=True)
class TriggerCall:
    """What runs: a program from a step (the start connector or a path's), for which operation."""

    program: Program
    start: Step | None
    entry: EntryCheck
    operation: str | None = None
    before_save: bool = False
    #: Outside a save (asynchronous paths, schedules, events) a Custom Error fails the interview instead.
    in_save: bool = True


def failure_error(program: Program, failure: FailureInfo | None) -> CannotExecuteFlowTrigger:
    flow = program.flow
    message = failure.message if failure is not None else "An error occurred when executing a flow interview."
    where = f"Error element {failure.element} ({failure.element_type}). " if failure and failure.element else ""
    return CannotExecuteFlowTrigger.for_flow(flow.label or flow.api_name, f"{where}{message}")


def custom_error(iv: Interview) -> RecordError | None:
    if not iv.custom_errors:
        return None
    first = iv.custom_errors[0]
    return FieldCustomValidationException(first.message, [first.field] if first.field else [])


def trigger_context(org: Org, tx: Transaction, call: TriggerCall, run_as: RunAs | None) -> RunContext:
    context = org.run_context(run_as, trace=False)
    context.records = org.gateway(tx)
    context.fail_on_custom_error = not call.in_save
    context.trigger_operation = call.operation
    context.before_save = call.before_save
    return context


def run_triggered(org: Org, tx: Transaction, call: TriggerCall, records: Sequence[Record],
                  priors: Sequence[Record | None], run_as: RunAs | None) -> TriggeredRun:
    """Interviews for *records* (with *priors* as `$Record__Prior`); before-save changes land on *records*."""
    run = TriggeredRun([None] * len(records))
    if not records:
        return run
    context = trigger_context(org, tx, call, run_as)
    for offset in range(0, len(records), CHUNK):
        positions = list(range(offset, min(offset + CHUNK, len(records))))
        parents = dict(zip(positions, parents_of(tx, call.program, [records[p] for p in positions])))
        if not _run_chunk(call, context, records, priors, positions, parents, run):
            break
    return run


def _interview(call: TriggerCall, context: RunContext, record: Record, prior: Record | None,
               parents: dict[str, Record], index: int, guid: str | None = None) -> Interview:
    copy = record.copy()
    for relationship, parent in parents.items():
        copy[relationship] = parent.copy()
    iv = call.program.new_interview(context, None, index=index, record=copy,
                                    prior=prior.copy() if prior is not None else None, guid=guid)
    iv.current = call.start
    return iv


def _run_chunk(call: TriggerCall, context: RunContext, records: Sequence[Record], priors: Sequence[Record | None],
               positions: list[int], parents: dict[int, dict[str, Record]], run: TriggeredRun) -> bool:
    """False when a governor limit ended the DML (every record fails; nothing more runs)."""
    entered: list[int] = []
    first: list[Interview] = []
    for position in positions:
        iv = _interview(call, context, records[position], priors[position], parents[position], len(first))
        if call.entry(iv):
            entered.append(position)
            first.append(iv)
    if not first or call.start is None:
        run.succeeded.extend(entered)
        return True
    kept = [iv.guid for iv in first]

    def again(index: int) -> Interview:
        position = entered[index]
        return _interview(call, context, records[position], priors[position], parents[position], index,
                          kept[index])

    results: dict[int, InterviewResult] = {}
    batch = settle_batch(call.program, len(first), first, results, context, again)
    run.batches.append(batch)
    if batch.limit_error is not None:
        limit = failure_error(call.program, FailureInfo(None, None, batch.limit_error))
        run.errors = [limit] * len(run.errors)
        run.limit_error = batch.limit_error
        run.succeeded = []
        return False
    finished = {iv.index: iv for iv in batch.interviews}
    for index, result in enumerate(batch.results):
        position = entered[index]
        done = finished.get(index)
        error = custom_error(done) if result.success and done is not None else \
            failure_error(call.program, result.failure)
        run.errors[position] = error
        if error is None and done is not None:
            run.succeeded.append(position)
            if call.before_save:
                _keep_changes(records[position], done.values.get("$record"))
    return True


def _keep_changes(record: Record, changed: Any) -> None:
    """A before-save interview's `$Record` (a copy) back onto the record being saved."""
    if not isinstance(changed, Record):
        return
    for name, value in changed.items():
        if isinstance(value, Record | list):
            continue  # a parent read through `$Record.Account.…`, not a field of the record
        if name not in record or record[name] != value:
            record[name] = value
