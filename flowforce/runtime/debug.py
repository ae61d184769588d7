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
from flowforce.engine.elements.decision import was_true_before
from flowforce.engine.interview import Interview
from flowforce.engine.program import Predicate, Program
from flowforce.metadata.model import Condition, FlowValue, ValueKind
from flowforce.records.limits import GovernorLimits
from flowforce.records.record import Record
from flowforce.records.transaction import Transaction
from flowforce.runtime.gateway import StoreGateway

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


def entry_predicate(program: Program) -> Predicate | None:
    """The start element's entry conditions over `$Record` (filters with their logic, or a formula)."""
    start = program.flow.start
    if start is None or not (start.filters or start.filter_formula):
        return None
    conditions = [Condition(f"$Record.{item.field}", item.operator, item.value or FlowValue(ValueKind.NULL))
                  for item in start.filters]
    return program.conditions(start.filter_logic, conditions, start.filter_formula)


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
        context.records = StoreGateway(tx)
        if save_record and record is not None and not record.get("Id"):
            record = _saved(tx, record)
        interview = program.new_interview(context, inputs, record=record, prior=prior)
        if scheduled_path is not None:
            interview.current = _path_start(program, scheduled_path)
        entered = _meets_entry(program, interview) if check_entry else True
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


def _meets_entry(program: Program, interview: Interview) -> bool:
    predicate = entry_predicate(program)
    if predicate is None:
        return True
    if not predicate(interview):
        return False
    start = program.flow.start
    requires_change = start is not None and start.does_require_record_changed_to_meet_criteria
    return not (requires_change and was_true_before(interview, predicate))


def _path_start(program: Program, name: str) -> Any:
    start = program.flow.start
    for path in start.scheduled_paths if start is not None else ():
        # An asynchronous path has no name: a test names it by its type, AsyncAfterCommit.
        if name.lower() in ((path.name or "").lower(), (path.path_type or "").lower()) and path.connector is not None:
            return program.step_for(path.connector, "Start")
    raise UnknownScheduledPath(f"{program.flow.api_name} has no scheduled path named {name}")
