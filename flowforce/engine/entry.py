"""Where a triggered interview begins: the start element's entry conditions, and the path it runs.

A record-triggered or scheduled flow runs only for records that meet `start.filters` (combined by
`filterLogic`) or `start.filterFormula`, evaluated on `$Record` like a Decision's conditions; with
`doesRequireRecordChangedToMeetCriteria` the conditions must also have been false for `$Record__Prior`
(on create there is no prior record, so meeting them is enough — reference/flow-metadata.md §3).
A scheduled or asynchronous path starts at its own connector instead of the start connector.
"""

from __future__ import annotations

from collections.abc import Callable

from flowforce.engine.elements.decision import was_true_before
from flowforce.engine.interview import Interview
from flowforce.engine.program import FlowCompileError, Predicate, Program, Step
from flowforce.metadata.model import ScheduledPath

EntryCheck = Callable[[Interview], bool]


def always(iv: Interview) -> bool:
    return True


def entry_check(program: Program, *, require_change: bool | None = None) -> EntryCheck:
    """The start element's entry conditions as a test on a new interview holding `$Record`/`$Record__Prior`.

    *require_change* overrides the start's own flag (scheduled paths and scheduled flows re-check the
    conditions on the record as it is, where "changed to meet them" has no meaning).
    """
    start = program.flow.start
    if start is None:
        return always
    predicate: Predicate
    try:
        if start.filter_formula:
            predicate = program.conditions("formula_evaluates_to_true", [], start.filter_formula)
        elif start.filters:
            predicate = program.record_conditions(start.filter_logic, start.filters)
        else:
            return always
    except (ValueError, SyntaxError) as error:
        raise FlowCompileError(program.flow, "start", f"entry conditions: {error}") from None
    changed = start.does_require_record_changed_to_meet_criteria if require_change is None else require_change
    if not changed:
        return predicate

    def became_true(iv: Interview) -> bool:
        return predicate(iv) and not was_true_before(iv, predicate)

    return became_true


def scheduled_path(program: Program, name: str) -> ScheduledPath | None:
    """The start's scheduled path whose `path_name` is *name*."""
    start = program.flow.start
    for path in start.scheduled_paths if start is not None else ():
        if path_name(path).lower() == name.lower():
            return path
    return None


def path_name(path: ScheduledPath) -> str:
    """A path's key in queued work: its name, or its type for the unnamed "Run Asynchronously" path."""
    return path.name or path.path_type or "AsyncAfterCommit"


def path_start(program: Program, path: ScheduledPath) -> Step | None:
    return program.step_for(path.connector, "start")
