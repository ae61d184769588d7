"""Run many interviews of one flow in one transaction with Salesforce's failure rules.

reference/flow-metadata.md §7.1 and confirmations.md §3c: a governor-limit error fails every interview and
rolls back everything; any other unhandled fault fails only its interview — its record changes are undone by
rolling the batch back and running the successful interviews again ("Salesforce attempts to save all
successful record changes in the bulk operation up to three times", H-BULK).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowforce.engine.context import RunContext
from flowforce.engine.faults import InputError
from flowforce.engine.interview import FailureInfo, Interview, InterviewStatus, TraceEntry
from flowforce.engine.ports import Savepoint
from flowforce.engine.program import Program
from flowforce.engine.runner import run_interviews
from flowforce.records.errors import LimitException


@dataclass
class InterviewResult:
    """What one input produced: outputs and status, or why it failed (with the element)."""

    flow_name: str
    version: int
    guid: str | None
    status: InterviewStatus
    outputs: dict[str, Any] | None
    failure: FailureInfo | None = None
    trace: list[TraceEntry] | None = None
    wait: dict[str, Any] | None = None
    input_error: bool = False

    @property
    def success(self) -> bool:
        return self.status is not InterviewStatus.ERROR


@dataclass
class BatchResult:
    results: list[InterviewResult]
    #: The LimitException text when a governor limit ended the transaction.
    limit_error: str | None = None
    attempts: int = 1
    interviews: list[Interview] = field(default_factory=list)

    @property
    def all_succeeded(self) -> bool:
        return all(result.success for result in self.results)


def result_of(iv: Interview) -> InterviewResult:
    failed = iv.status is InterviewStatus.ERROR
    return InterviewResult(
        flow_name=iv.flow_name, version=iv.program.flow.version, guid=iv.guid, status=iv.status,
        outputs=None if failed else iv.outputs(), failure=iv.failure, trace=iv.trace, wait=iv.wait,
    )


def failed_input(program: Program, error: InputError) -> InterviewResult:
    return InterviewResult(
        flow_name=program.flow.api_name, version=program.flow.version, guid=None,
        status=InterviewStatus.ERROR, outputs=None, failure=FailureInfo(None, None, str(error)),
        input_error=True,
    )


def savepoint(context: RunContext) -> Savepoint | None:
    return context.records.savepoint() if context.records is not None else None


def run_batch(program: Program, inputs: Sequence[Mapping[str, Any] | None], context: RunContext, *,
              guids: Sequence[str] | None = None) -> BatchResult:
    """One interview per input, advanced together; the caller owns (commits) the transaction.

    *guids* fixes the interviews' GUIDs (an asynchronous interview keeps the one announced when it was
    accepted); a re-run after a rollback keeps each interview's GUID either way.
    """
    results: dict[int, InterviewResult] = {}
    first: list[Interview] = []
    for index, values in enumerate(inputs):
        try:  # inputs checked before any run
            first.append(program.new_interview(context, values, index=index,
                                               guid=guids[index] if guids is not None else None))
        except InputError as error:
            results[index] = failed_input(program, error)
    kept = {iv.index: iv.guid for iv in first}
    return settle_batch(program, len(inputs), first, results, context,
                        lambda index: program.new_interview(context, inputs[index], index=index, guid=kept[index]))


def settle_batch(program: Program, count: int, first: list[Interview], results: dict[int, InterviewResult],
                 context: RunContext, again: Callable[[int], Interview]) -> BatchResult:
    """Run positioned interviews with Salesforce's failure rules; *again* rebuilds interview *index* for a
    re-run after the failed ones were rolled back."""
    pending = [iv.index for iv in first]
    attempts = 0
    last: list[Interview] = []
    while pending:
        attempts += 1
        marker = savepoint(context)
        last = first if attempts == 1 else [again(index) for index in pending]
        try:
            run_interviews(last)
        except LimitException as error:
            if marker is not None:
                marker.rollback()
            return limit_failure(program, count, results, last, error, attempts)
        failed = [iv for iv in last if iv.status is InterviewStatus.ERROR]
        for iv in failed:
            results[iv.index] = result_of(iv)
        if not failed or marker is None:
            for iv in last:
                results[iv.index] = result_of(iv)
            if marker is not None:
                marker.release()
            break
        marker.rollback()
        pending = [iv.index for iv in last if iv.status is not InterviewStatus.ERROR]
        if attempts > context.settings.bulk_retry_attempts:
            for index in pending:
                results[index] = retries_exhausted(program)
            break
    return BatchResult([results[index] for index in range(count)], attempts=attempts, interviews=last)


def retries_exhausted(program: Program) -> InterviewResult:
    message = "The record changes couldn't be saved after repeated attempts because other interviews failed."
    return InterviewResult(program.flow.api_name, program.flow.version, None, InterviewStatus.ERROR, None,
                           FailureInfo(None, None, message))


def limit_failure(program: Program, count: int, results: dict[int, InterviewResult],
                  interviews: list[Interview], error: LimitException, attempts: int) -> BatchResult:
    """§7.4: every interview of the transaction fails; the element that hit the limit is named where known."""
    by_index = {iv.index: iv for iv in interviews}
    for index in range(count):
        if index in results and results[index].input_error:
            continue
        iv = by_index.get(index)
        element = iv.current.name if iv is not None and iv.current is not None else None
        element_type = iv.current.element_type if iv is not None and iv.current is not None else None
        results[index] = InterviewResult(
            program.flow.api_name, program.flow.version, iv.guid if iv else None, InterviewStatus.ERROR, None,
            FailureInfo(element, element_type, error.message), trace=iv.trace if iv else None,
        )
    return BatchResult([results[i] for i in range(count)], limit_error=error.message,
                       attempts=attempts, interviews=interviews)
