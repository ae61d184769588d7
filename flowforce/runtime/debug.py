"""One interview run the way Flow Builder's Debug and Salesforce's Flow Tests run it: with a `$Record` (and
`$Record__Prior`) handed in rather than saved, optionally from a scheduled path, rolled back afterwards unless
asked to commit — and the interview itself kept, so a test can ask what it visited, set and failed on.

Record-triggered flows fired by real saves go through the trigger path; this is for examining one run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flowforce.engine.batch import InterviewResult, result_of, settle_batch
from flowforce.engine.entry import entry_check, path_start, scheduled_path
from flowforce.engine.interview import Interview
from flowforce.engine.program import Program
from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.records.transaction import Transaction

if TYPE_CHECKING:
    from flowforce.runtime.org import Org


@dataclass
class DebugRun:
    interview: Interview
    result: InterviewResult
    limits: GovernorLimits
    #: False when `$Record` did not meet the flow's entry conditions: nothing ran.
    entered: bool


class DebugRecordError(ValueError):
    """The `$Record` handed in cannot be saved (an after-save run needs it saved first)."""


class UnknownScheduledPath(ValueError):
    """The test names a scheduled path the flow does not have."""


def debug_run(org: Org, program: Program, *, inputs: Mapping[str, Any] | None = None,
              record: Record | None = None, prior: Record | None = None, scheduled_path: str | None = None,
              check_entry: bool = True, commit: bool = False, save_record: bool = False) -> DebugRun:
    """Run one interview of *program* in a transaction of its own, rolled back unless *commit*.

    *save_record* inserts an id-less `$Record` first, as an after-save flow sees its record: saved, with an
    Id and system fields its Create/Update Records can refer to.
    """
    context = org.run_context(trace=True)
    tx = org.transaction()
    try:
        context.records = org.gateway(tx)
        if save_record and record is not None and not record.get("Id"):
            org.triggers.hold(tx, program.flow.api_name)  # the save is the flow's context, not a second run
            record = _saved(tx, record)
        interview = program.new_interview(context, inputs, record=record, prior=prior)
        if scheduled_path is not None:
            interview.current = _path_start(program, scheduled_path)
        entered = entry_check(program)(interview) if check_entry else True
        if entered:
            batch = settle_batch(program, 1, [interview], {}, context,
                                 lambda index: program.new_interview(context, inputs, record=record, prior=prior))
            interview = batch.interviews[0] if batch.interviews else interview
            result = batch.results[0]
        else:
            result = result_of(interview)
    except BaseException:
        tx.rollback()
        raise
    if commit and entered:
        tx.commit()
    else:
        tx.rollback()
    return DebugRun(interview, result, tx.limits, entered)


def _saved(tx: Transaction, record: Record) -> Record:
    [saved] = tx.insert(record.sobject_type, [record])
    if not saved.success:
        raise DebugRecordError(f"The test's {record.sobject_type} record can't be saved: "
                               + "; ".join(error.message for error in saved.errors))
    [stored] = tx.retrieve(record.sobject_type, [str(saved.id)])
    return stored if stored is not None else record


def _path_start(program: Program, name: str) -> Any:
    path = scheduled_path(program, name)
    if path is None or path.connector is None:
        raise UnknownScheduledPath(f"{program.flow.api_name} has no scheduled path named {name}")
    return path_start(program, path)
