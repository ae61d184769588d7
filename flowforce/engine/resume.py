"""Resuming paused interviews: each continues from its Wait along the event that fired, in a new transaction,
as a batch with Salesforce's failure rules ("Everything after the Wait element is executed as part of a batch
transaction that includes other resumed interviews", reference/flow-metadata.md §5.16)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flowforce.engine.batch import BatchResult, InterviewResult, settle_batch
from flowforce.engine.context import RunContext
from flowforce.engine.elements.wait import WaitStep
from flowforce.engine.interview import Interview, InterviewStatus


class NotPausedError(ValueError):
    """The interview is not paused at a Wait (its state is not a resumable one)."""


def position(iv: Interview, event: str | None, outputs: dict[str, Any] | None = None) -> None:
    """Make *iv* (and the subflow interviews it waits for) running again, the innermost one moved past its
    Wait along *event* (None: the default path)."""
    chain = [iv]
    while chain[-1].child is not None:
        chain.append(chain[-1].child)  # type: ignore[arg-type]
    innermost = chain[-1]
    step = innermost.current
    if not isinstance(step, WaitStep):
        raise NotPausedError(f"the interview {iv.guid} is not paused at a Wait element")
    for link in chain:
        link.status, link.wait = InterviewStatus.RUNNING, None
    innermost.current = step.resume(innermost, event, outputs)


def resume_batch(load: Callable[[int], Interview], count: int, events: Sequence[tuple[str | None, Any]],
                 context: RunContext) -> BatchResult:
    """Resume *count* paused interviews of one flow version together; *load(i)* reads interview i's stored
    state (again for a re-run after a rollback), *events[i]* is (event name, its outputs)."""

    def positioned(index: int) -> Interview:
        iv = load(index)
        link: Interview | None = iv
        while link is not None:  # its place in this batch (action journal keys, engine/journal.py)
            link.index, link.path = index, (index, *link.path[1:])
            link = link.child
        event, outputs = events[index]
        position(iv, event, outputs)
        return iv

    first = [positioned(index) for index in range(count)]
    results: dict[int, InterviewResult] = {}
    return settle_batch(first[0].program, count, first, results, context, positioned)
