"""Subflow: the child flow's interviews run as one batch inside the parent's transaction (§5.8).

The child's record elements are bulkified across all parents at the element. Subflows have no fault
connector: a child's unhandled fault fails the parent. The same machinery serves `actionCalls` of type
`flow`, which do have a fault connector.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flowforce.engine.elements.invocation import Binding, OutputBinder, evaluate_inputs, merge_outcomes
from flowforce.engine.faults import ElementFault, InputError, UnhandledFault
from flowforce.engine.interview import Interview, InterviewStatus
from flowforce.engine.program import Outcome, Program, Step
from flowforce.metadata.model import Subflow

LOCATED = re.compile(r" \(element [^()]+ of [^()]+\)$")


def run_child_flow(step: Step, flow_name: str, bindings: Sequence[Binding], binder: OutputBinder,
                   interviews: Sequence[Interview], fault_type: type[ElementFault]) -> list[Outcome]:
    from flowforce.engine.runner import run_interviews  # the runner runs steps; steps run the runner

    context = interviews[0].context
    # A parent resuming from a pause inside this subflow continues its child where the child paused (with
    # the child's own flow version).
    children: list[tuple[Interview, Interview]] = []
    fresh: list[Interview] = []
    for iv in interviews:
        if iv.child is not None:
            children.append((iv, iv.child))
            iv.child = None
        else:
            fresh.append(iv)
    ready, requests, done = evaluate_inputs(step, bindings, fresh)
    source = context.flows
    program = source.program_for(flow_name) if source is not None and ready else None
    if ready and program is None:
        fault = fault_type(f"The flow {flow_name} doesn't exist or has no version that can run.")
        done.update((id(iv), fault) for iv in ready)
        ready = []
    for iv, inputs in zip(ready, requests):
        if iv.depth + 1 > context.settings.max_subflow_depth:
            done[id(iv)] = UnhandledFault(
                f"Maximum subflow depth of {context.settings.max_subflow_depth} exceeded calling {flow_name}")
            continue
        assert program is not None
        try:
            child = program.new_interview(context, inputs, index=iv.index, depth=iv.depth + 1,
                                          path=(*iv.path, iv.executed))
        except InputError as error:
            done[id(iv)] = fault_type(str(error))
            continue
        children.append((iv, child))
    run_interviews([child for _, child in children])
    for iv, child in children:
        done[id(iv)] = settle(step, iv, child, binder, fault_type)
    return merge_outcomes(interviews, done)


def settle(step: Step, iv: Interview, child: Interview, binder: OutputBinder,
           fault_type: type[ElementFault]) -> Outcome:
    if child.status is InterviewStatus.ERROR and child.failure is not None:
        # Name only the innermost failing element: a fault propagated from a grandchild is already located,
        # and appending at every level made a recursion-depth error grow by one suffix per level.
        located = child.failure.element is None or LOCATED.search(child.failure.message) is not None
        where = "" if located else f" (element {child.failure.element} of {child.flow_name})"
        return fault_type(f"{child.failure.message}{where}" if fault_type is UnhandledFault
                          else child.failure.message)
    if child.status is InterviewStatus.WAITING:
        # The pause reaches up: the parent waits at this element until the child resumes and ends.
        iv.child, iv.wait, iv.status = child, child.wait, InterviewStatus.WAITING
        if iv.trace is not None:
            where = child.current.name if child.current is not None else "?"
            iv.record(step.entry("paused", f"{child.flow_name} paused at {where}"))
        return step
    changes = binder.store(iv, child.outputs())
    if iv.trace is not None:
        iv.record(step.entry(detail=f"ran {child.flow_name} version {child.program.flow.version}",
                             changes=changes))
    return step.next


class SubflowStep(Step):
    bulk = True

    def __init__(self, node: Subflow, program: Program) -> None:
        super().__init__(node, program)
        self.flow_name = node.flow_name
        self.bindings: list[Binding] = [(a.target, program.value(a.value)) for a in node.input_assignments]
        self.binder = OutputBinder(program, self.key,
                                   [(o.source, o.assign_to_reference) for o in node.output_assignments],
                                   node.store_output_automatically)

    def run_batch(self, interviews: Sequence[Interview]) -> list[Outcome]:
        return run_child_flow(self, self.flow_name, self.bindings, self.binder, interviews, UnhandledFault)

    def run(self, iv: Interview) -> Step | None:  # pragma: no cover - bulk steps run through run_batch
        raise NotImplementedError


