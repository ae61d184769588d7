"""Evidence from running flows through the runtime's `Org` (flowforce/runtime): each generated input alone, in
a transaction that is rolled back, with the element trace on. Nothing here runs a flow itself."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flowforce.actions.project import project_root
from flowforce.engine.program import FlowCompileError
from flowforce.lint.evidence import FaultSeen, FlowEvidence, InputRun
from flowforce.lint.inputs import generated_inputs
from flowforce.lint.triggered import triggered_runs
from flowforce.metadata import model
from flowforce.metadata.project import INVALID_DRAFT, LoadedFlow
from flowforce.runtime import FlowRun, Org
from flowforce.runtime.triggers import RECORD_TRIGGERS
from flowforce.runtime.versions import ACTIVE
from flowforce.settings import load_settings

IN_MEMORY = "sqlite://"
RECORD_ELEMENTS = (model.RecordLookup, model.RecordCreate, model.RecordUpdate, model.RecordDelete)


class OrgEvidence:
    """An `EvidenceSource` over the org of each flow's project, on a store that starts empty and keeps nothing.

    A flow's project is the nearest folder above it with an `sfdx-project.json` (its objects, actions and
    subflows), else the folder the file is in. Orgs open on first use and stay open until `close`.
    """

    def __init__(self) -> None:
        self.orgs: dict[Path, Org | str] = {}

    def close(self) -> None:
        for org in self.orgs.values():
            if isinstance(org, Org):
                org.close()

    def org_for(self, path: str) -> Org | str:
        """The org of the project holding *path*, or why it could not open."""
        root = project_root(Path(path))
        if root not in self.orgs:
            try:
                self.orgs[root] = Org.open(load_settings(project_dir=root, database_url=IN_MEMORY))
            except Exception as error:  # a project the runtime cannot open is a finding's context, not a crash
                self.orgs[root] = f"the org of {root} could not open: {type(error).__name__}: {error}"[:300]
        return self.orgs[root]

    def gather(self, loaded: LoadedFlow) -> FlowEvidence:
        flow = loaded.flow
        skipped = _why_not_run(loaded)
        if skipped is not None:
            return FlowEvidence(flow.api_name, flow.version, skipped=skipped)
        org = self.org_for(loaded.path or ".")
        if isinstance(org, str):
            return FlowEvidence(flow.api_name, flow.version, skipped=org)
        if flow.trigger_type in RECORD_TRIGGERS:
            return _triggered_evidence(org, loaded)
        runs = []
        for label, inputs in generated_inputs(flow):
            try:
                outcome = org.run(flow, [inputs], commit=False, trace=True)
            except FlowCompileError as error:
                return FlowEvidence(flow.api_name, flow.version, skipped=f"does not compile: {error}")
            runs.append(_input_run(label, inputs, outcome, _blocked_by(org, flow)))
        return FlowEvidence(flow.api_name, flow.version, tuple(runs))


def _why_not_run(loaded: LoadedFlow) -> str | None:
    flow = loaded.flow
    if loaded.effective_status == INVALID_DRAFT:
        return "an InvalidDraft does not run"
    if not flow.runnable_headless:
        return f"not runnable headless ({flow.process_type}{', screens' if flow.non_runnable_nodes else ''})"
    if flow.trigger_type in RECORD_TRIGGERS and loaded.effective_status != ACTIVE:
        return "only an active record-triggered flow fires on a save"
    if flow.trigger_type is not None and flow.trigger_type not in RECORD_TRIGGERS:
        return f"a {flow.trigger_type} flow starts on a schedule or event, not on a call"
    return None


def _triggered_evidence(org: Org, loaded: LoadedFlow) -> FlowEvidence:
    """A record-triggered flow runs on a save of a generated record of its object (flowforce.lint.triggered)."""
    flow = loaded.flow
    object_name = flow.start.object if flow.start else None
    if not object_name or not org.registry.has(object_name):
        return FlowEvidence(flow.api_name, flow.version,
                            skipped=f"triggers on {object_name}, which this project does not define")
    if not org.triggers.index().fires_on(object_name):
        return FlowEvidence(flow.api_name, flow.version, skipped="does not compile, so it does not fire")
    return FlowEvidence(flow.api_name, flow.version, tuple(triggered_runs(org, flow)))


def _blocked_by(org: Org, flow: model.Flow) -> Callable[[str | None], str | None]:
    """Why a failure at an element is the environment's, not the flow's: the action or object is not here."""
    def blocked(element: str | None) -> str | None:
        node = flow.nodes.get(element or "")
        if isinstance(node, model.ActionCall) and node.action_type.lower() != "flow" \
                and not org.actions.has(node.action_type, node.action_name):
            return f"{node.name} calls {node.action_type}:{node.action_name}, which is not registered here"
        if isinstance(node, RECORD_ELEMENTS) and node.object and not org.registry.has(node.object):
            return f"{node.name} uses the object {node.object}, which this project does not define"
        return None
    return blocked


def _input_run(label: str, inputs: dict[str, Any], outcome: FlowRun,
               blocked_by: Callable[[str | None], str | None]) -> InputRun:
    batch = outcome.batch
    result = batch.results[0]
    limits = outcome.limits
    trace = result.trace or []
    failure = result.failure
    failed_at = failure.element if failure is not None else None
    faults = tuple(
        FaultSeen(entry.element, entry.fault, handled=not (entry.element == failed_at and index == len(trace) - 1))
        for index, entry in enumerate(trace) if entry.fault
    )
    return InputRun(
        label=label,
        inputs=inputs,
        status=result.status.value,
        soql_queries=limits.soql_queries if limits is not None else 0,
        dml_statements=limits.dml_statements if limits is not None else 0,
        dml_rows=limits.dml_rows if limits is not None else 0,
        visits=dict(Counter(entry.element for entry in trace)),
        faults=faults,
        failure=FaultSeen(failure.element, failure.message, False)
        if failure is not None and failure.element is not None and not result.input_error else None,
        limit_error=batch.limit_error,
        input_error=failure.message if failure is not None and result.input_error else None,
        blocked=blocked_by(failed_at) if failure is not None else None,
    )
