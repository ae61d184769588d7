"""Advance many interviews of one flow together, so that bulkifiable elements run once for all of them.

reference/flow-metadata.md §7.1 (H-BULK): "each interview runs until it reaches a bulkifiable element.
Salesforce takes all the interviews that stopped at the same element and … executes those operations
together … repeats this process until all the interviews finish." Non-bulk steps (assignments, decisions,
loops, …) run interview by interview; bulk steps (record elements, actions, subflows) receive the whole group.
Groups run in order of first arrival, which keeps runs deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from time import perf_counter

from flowforce.engine.faults import ElementFault, UnhandledFault
from flowforce.engine.interview import Interview, InterviewStatus
from flowforce.engine.program import Outcome, Step

CPU_CHECK_EVERY = 256


def run_interviews(interviews: Sequence[Interview]) -> None:
    """Run *interviews* (positioned at their first step, or at the step a resume continues from) until each
    finishes, waits or fails.

    A `LimitException` propagates: governor limits end the whole transaction.
    """
    active = [iv for iv in interviews if iv.status is InterviewStatus.RUNNING]
    cpu = interviews[0].context.cpu if interviews else None
    if cpu is not None:
        cpu.start()
    while active:
        groups: dict[Step, list[Interview]] = {}
        for iv in active:
            advance(iv)
            if iv.current is not None and iv.status is InterviewStatus.RUNNING:  # a paused one stays put
                groups.setdefault(iv.current, []).append(iv)
        for step, arrived in groups.items():
            group = [iv for iv in arrived if counted(iv, step)]
            outcomes = timed_batch(step, group)
            if cpu is not None:
                cpu.check()  # bulk steps (queries, DML, actions) are where time goes
            for iv, outcome in zip(group, outcomes, strict=True):
                follow(iv, step, outcome)
        active = [iv for group in groups.values() for iv in group if iv.status is InterviewStatus.RUNNING]


def counted(iv: Interview, step: Step) -> bool:
    """Count a bulk element for *iv*; False when that pushed the interview over an element limit."""
    try:
        count(iv, step)
    except ElementFault as fault:
        handle_fault(iv, step, fault)
        return False
    return True


def timed_batch(step: Step, group: list[Interview]) -> list[Outcome]:
    if not group:
        return []
    started = perf_counter()
    marks = [len(iv.trace) if iv.trace is not None else 0 for iv in group]
    outcomes = step.run_batch(group)
    share = (perf_counter() - started) * 1e6 / max(len(group), 1)
    for iv, mark in zip(group, marks):
        if iv.trace is not None and len(iv.trace) > mark:
            iv.trace[mark].duration_us = share
    return outcomes


def advance(iv: Interview) -> None:
    """Run non-bulk steps until the interview reaches a bulk step, ends, waits or fails."""
    step = iv.current
    trace = iv.trace
    last = perf_counter() if trace is not None else 0.0
    while step is not None and not step.bulk:
        try:
            count(iv, step)
            if trace is not None:
                # Every non-bulk step records exactly one entry; one clock read per element gives its
                # duration as the time since the previous element ended.
                following = step.run(iv)
                now = perf_counter()
                trace[-1].duration_us = (now - last) * 1e6
                last = now
            else:
                following = step.run(iv)
        except ElementFault as fault:
            following = handle_fault(iv, step, fault)
        if iv.status is InterviewStatus.WAITING:
            iv.current = step  # paused at this Wait: a resume continues from here
            return
        step = following
    iv.current = step
    if step is None:
        finish(iv)


def count(iv: Interview, step: Step) -> None:
    """Element accounting: the legacy 2,000-element limit, the safety cap and the CPU governor."""
    iv.executed = executed = iv.executed + 1
    iv.visited.add(step.key)
    if executed > iv.element_cap:
        settings = iv.context.settings
        if iv.element_cap == settings.legacy_element_limit:
            raise UnhandledFault("Number of iterations exceeded")
        raise UnhandledFault(
            f"Number of iterations exceeded: the interview executed more than "
            f"{settings.max_elements_per_interview} elements (last: {step.name}); is a loop missing its exit?")
    if not executed % CPU_CHECK_EVERY and iv.context.cpu is not None:
        iv.context.cpu.check()


def follow(iv: Interview, step: Step, outcome: Outcome) -> None:
    """Apply a bulk step's per-interview outcome: the next step, the end, a fault, or a pause (a subflow's
    interview paused: this one waits at the step for it)."""
    if iv.status is InterviewStatus.WAITING:
        iv.current = step
        return
    if isinstance(outcome, ElementFault):
        iv.current = handle_fault(iv, step, outcome)
    else:
        iv.current = outcome
    if iv.current is None:
        finish(iv)


def handle_fault(iv: Interview, step: Step, fault: ElementFault) -> Step | None:
    """§7.2: take the fault connector when there is one; otherwise the interview fails."""
    iv.element_errors.add(step.key)
    if iv.trace is not None:
        if iv.trace and iv.trace[-1].element == step.name and iv.trace[-1].fault is None:
            iv.trace[-1].fault = fault.message
        else:
            entry = step.entry("fault")
            entry.fault = fault.message
            iv.record(entry)
    if step.fault_target is not None and not isinstance(fault, UnhandledFault):
        iv.fault_message = fault.message
        if iv.trace is not None:
            iv.trace[-1].detail = f"fault path to {step.fault_target.name}"
        return step.fault_target
    iv.fail(step.name, step.element_type, fault.message)
    return None


def finish(iv: Interview) -> None:
    if iv.status is not InterviewStatus.RUNNING:
        return
    if iv.custom_errors and iv.context.fail_on_custom_error:
        error = iv.custom_errors[0]
        iv.fail(error.element, "FlowCustomError", error.message)
        return
    iv.status = InterviewStatus.FINISHED
