"""Action calls: all interviews at the element go to the action in one bulk call (§5.9).

`actionType=flow` runs a subflow (with a fault connector, unlike the Subflow element).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flowforce.actions.registry import ActionError, ActionFailure, ActionRegistry, ActionResult, InvocableAction
from flowforce.engine.action_context import ActionContext
from flowforce.engine.elements.invocation import Binding, OutputBinder, evaluate_inputs, merge_outcomes
from flowforce.engine.elements.subflow import run_child_flow
from flowforce.engine.faults import ElementFault
from flowforce.engine.interview import Interview
from flowforce.engine.program import Outcome, Program, Step
from flowforce.metadata.model import ActionCall, ApexPluginCall
from flowforce.records.errors import LimitException


class ActionCallStep(Step):
    bulk = True

    def __init__(self, node: ActionCall | ApexPluginCall, program: Program) -> None:
        super().__init__(node, program)
        # Legacy Process.Plugin calls are Apex actions named by their class (§5.15).
        self.action_type = node.action_type if isinstance(node, ActionCall) else "apex"
        self.action_name = node.action_name if isinstance(node, ActionCall) else node.apex_class
        self.bindings: list[Binding] = [(p.name, program.value(p.value)) for p in node.input_parameters]
        self.binder = OutputBinder(program, self.key,
                                   [(p.name, p.assign_to_reference) for p in node.output_parameters],
                                   isinstance(node, ActionCall) and node.store_output_automatically)

    def run(self, iv: Interview) -> Step | None:  # pragma: no cover - bulk steps run through run_batch
        raise NotImplementedError

    def run_batch(self, interviews: Sequence[Interview]) -> list[Outcome]:
        if self.action_type.lower() == "flow":
            return run_child_flow(self, self.action_name, self.bindings, self.binder, interviews, ElementFault)
        registry = interviews[0].context.actions
        action = registry.get(self.action_type, self.action_name) if registry is not None else None
        if action is None:
            fault = ElementFault((registry or ActionRegistry()).missing_message(self.action_type, self.action_name))
            return [fault for _ in interviews]
        ready, requests, done = evaluate_inputs(self, self.bindings, interviews)
        callable_ivs, callable_requests = [], []
        for iv, request in zip(ready, requests):
            absent = missing_input(action, request)
            if absent is not None:
                done[id(iv)] = ElementFault(absent)
            else:
                callable_ivs.append(iv)
                callable_requests.append(request)
        if callable_requests:
            self._invoke(action, callable_ivs, callable_requests, done)
        return merge_outcomes(interviews, done)

    def _invoke(self, action: InvocableAction, interviews: list[Interview], requests: list[dict[str, object]],
                done: dict[int, Outcome]) -> None:
        """Call the action once for every interview that has no journaled result yet; replay the others."""
        journal = interviews[0].context.journal
        keys = [(self.program.flow.api_name, iv.path, self.key, iv.executed) for iv in interviews]
        results: list[ActionResult | None] = []
        fresh: list[int] = []
        gateway = interviews[0].context.records
        for position, key in enumerate(keys):
            known, entry = journal.recorded(key)
            if known:
                result, effects = entry
                for effect in effects:
                    effect(gateway)  # the replayed request's outbox rows and after-commit work, once more
            results.append(result if known else None)
            if not known:
                fresh.append(position)
        if fresh:
            context = ActionContext(interviews[0].context)
            called = call_action(action, [requests[position] for position in fresh], context)
            for number, (position, result) in enumerate(zip(fresh, called)):
                results[position] = result
                if not context.used_records:
                    journal.record(keys[position], (result, context.effects.get(number, [])))
        for iv, result in zip(interviews, results):
            if isinstance(result, ActionFailure):
                done[id(iv)] = ElementFault(result.message)
                continue
            assert result is not None
            changes = self.binder.store(iv, result)
            if iv.trace is not None:
                iv.record(self.entry(detail=f"{self.action_type}:{self.action_name}", changes=changes))
            done[id(iv)] = self.next


def missing_input(action: InvocableAction, request: Mapping[str, object]) -> str | None:
    """Salesforce's message for the first required input *request* lacks, or None."""
    absent = next((p.name for p in action.inputs if p.required and request.get(p.name) is None), None)
    return f"Missing required input parameter: {absent}" if absent is not None else None


def call_action(action: InvocableAction, requests: list[dict[str, object]], context: ActionContext
                ) -> list[ActionResult]:
    """One bulk call, its failures as results: an action's exception faults its requests, never the server."""
    try:
        results = list(action.invoke(requests, context))
    except (ElementFault, ActionError) as fault:
        results = [ActionFailure(fault.message)] * len(requests)
    except LimitException:
        raise  # governor limits end the transaction, whoever hit them
    except Exception as error:  # an action's own bug must not take the server down
        results = [ActionFailure(f"An action error occurred: {type(error).__name__}: {error}")] * len(requests)
    if len(results) != len(requests):
        # §5.9: Salesforce's message when an action breaks the bulk contract.
        message = ("The number of results does not match the number of interviews that were executed "
                   "in a single bulk execution request.")
        results = [ActionFailure(message)] * len(requests)
    return results
