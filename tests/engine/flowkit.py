"""Helpers for engine tests: build real flow XML, run it as a batch, register recording actions.

Imported by name (`from flowkit import ...`); pytest fixtures live in conftest.py.

Every test runs `.flow-meta.xml` text through the real parser and the engine's public entry points
(`compile_program` + `run_batch`, or `FlowEngine`), and asserts what a caller sees: statuses, outputs,
failures and traces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowforce.actions.registry import ActionFailure, ActionParameter, ActionRegistry
from flowforce.clock import ControllableClock
from flowforce.engine.batch import BatchResult, InterviewResult, run_batch
from flowforce.engine.context import RunContext
from flowforce.engine.engine import FlowEngine, compile_program
from flowforce.engine.interview import InterviewStatus
from flowforce.metadata.model import Flow
from flowforce.metadata.parser import parse_flow_bytes, parse_flow_file

NOW = dt.datetime(2024, 1, 31, 9, 15, tzinfo=dt.UTC)
FLOWS_DIR = Path(__file__).resolve().parent / "flows"
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples" / "force-app" / "main" / "default" / "flows"
CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "flow-corpus"

FINISHED = InterviewStatus.FINISHED
ERROR = InterviewStatus.ERROR
WAITING = InterviewStatus.WAITING
LOC = "<locationX>0</locationX><locationY>0</locationY>"


fixed_clock = ControllableClock(NOW)  # frozen: never advanced, so shared safely by every test


# ------------------------------------------------------------------------------------------ building XML


def flow_xml(
    body: str,
    *,
    api_version: str = "62.0",
    start: str | None = None,
    process_type: str = "AutoLaunchedFlow",
    status: str = "Active",
) -> str:
    """A complete flow file around *body* (resources and elements); *start* names the first element."""
    start_xml = f"<start>{LOC}{connector(start)}</start>" if start else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Flow xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        f"<apiVersion>{api_version}</apiVersion>\n<label>Test</label>\n"
        f"<processType>{process_type}</processType>\n<status>{status}</status>\n"
        f"{start_xml}\n{body}\n</Flow>\n"
    )


def variable(
    name: str,
    data_type: str = "String",
    *,
    input: bool = False,
    output: bool = False,
    collection: bool = False,
    scale: int | None = None,
    object_type: str | None = None,
    default: str | None = None,
) -> str:
    """A `<variables>` element; *default* is the inner XML of `<value>`."""
    parts = [
        f"<name>{name}</name>",
        f"<dataType>{data_type}</dataType>",
        f"<isCollection>{str(collection).lower()}</isCollection>",
        f"<isInput>{str(input).lower()}</isInput>",
        f"<isOutput>{str(output).lower()}</isOutput>",
    ]
    if object_type:
        parts.append(f"<objectType>{object_type}</objectType>")
    if scale is not None:
        parts.append(f"<scale>{scale}</scale>")
    if default is not None:
        parts.append(f"<value>{default}</value>")
    return f"<variables>{''.join(parts)}</variables>"


def connector(target: str | None, tag: str = "connector") -> str:
    return f"<{tag}><targetReference>{target}</targetReference></{tag}>" if target else ""


def assignment(name: str, items: Iterable[tuple[str, str, str | None]], next_: str | None = None) -> str:
    """An `<assignments>` element; items: (assignToReference, operator, `<value>` inner XML)."""
    rendered = []
    for target, operator, value in items:
        value_xml = f"<value>{value}</value>" if value is not None else ""
        rendered.append(
            f"<assignmentItems><assignToReference>{target}</assignToReference>"
            f"<operator>{operator}</operator>{value_xml}</assignmentItems>"
        )
    return (
        f"<assignments><name>{name}</name><label>{name}</label><locationX>0</locationX>"
        f"<locationY>0</locationY>{''.join(rendered)}{connector(next_)}</assignments>"
    )


def condition(left: str, operator: str, right: str | None = None) -> str:
    right_xml = f"<rightValue>{right}</rightValue>" if right is not None else ""
    return (
        f"<conditions><leftValueReference>{left}</leftValueReference><operator>{operator}</operator>"
        f"{right_xml}</conditions>"
    )


def rule(name: str, conditions: Sequence[str], target: str | None, logic: str = "and") -> str:
    return (
        f"<rules><name>{name}</name><conditionLogic>{logic}</conditionLogic>{''.join(conditions)}"
        f"{connector(target)}<label>{name}</label></rules>"
    )


def decision(name: str, rules: Sequence[str], default: str | None = None, default_label: str | None = None) -> str:
    label = f"<defaultConnectorLabel>{default_label}</defaultConnectorLabel>" if default_label else ""
    return (
        f"<decisions><name>{name}</name><label>{name}</label>{LOC}"
        f"{connector(default, 'defaultConnector')}{label}{''.join(rules)}</decisions>"
    )


def formula(name: str, data_type: str, expression: str, scale: int | None = None) -> str:
    scale_xml = f"<scale>{scale}</scale>" if scale is not None else ""
    return (
        f"<formulas><name>{name}</name><dataType>{data_type}</dataType>"
        f"<expression>{expression}</expression>{scale_xml}</formulas>"
    )


def action_call(
    name: str,
    action_name: str,
    params: Mapping[str, str] = (),
    *,
    action_type: str = "apex",
    outputs: Mapping[str, str] = (),
    next_: str | None = None,
    fault: str | None = None,
    store_automatically: bool = False,
) -> str:
    inputs = "".join(
        f"<inputParameters><name>{k}</name><value>{v}</value></inputParameters>" for k, v in dict(params).items()
    )
    outs = "".join(
        f"<outputParameters><assignToReference>{target}</assignToReference><name>{k}</name></outputParameters>"
        for k, target in dict(outputs).items()
    )
    auto = "<storeOutputAutomatically>true</storeOutputAutomatically>" if store_automatically else ""
    return (
        f"<actionCalls><name>{name}</name><label>{name}</label>{LOC}"
        f"<actionName>{action_name}</actionName><actionType>{action_type}</actionType>{inputs}{outs}{auto}"
        f"{connector(next_)}{connector(fault, 'faultConnector')}</actionCalls>"
    )


def parse(xml: str, name: str = "Test_Flow", version: int = 1) -> Flow:
    return parse_flow_bytes(xml.encode(), api_name=name, version=version)


def load(path: str | Path) -> Flow:
    path = Path(path)
    if not path.is_absolute():
        path = FLOWS_DIR / path
    return parse_flow_file(path)


# ------------------------------------------------------------------------------------------ running


def context(**kwargs: Any) -> RunContext:
    kwargs.setdefault("clock", fixed_clock)
    return RunContext(**kwargs)


def run_flow(
    flow: str | Path | Flow, inputs: Sequence[Mapping[str, Any] | None] | None = None, **context_kwargs: Any
) -> BatchResult:
    """Compile *flow* (XML text, a fixture path or a parsed Flow) and run one interview per input."""
    if isinstance(flow, Path) or (isinstance(flow, str) and not flow.lstrip().startswith("<")):
        flow = load(flow)
    elif isinstance(flow, str):
        flow = parse(flow)
    batch = list(inputs) if inputs is not None else [{}]
    return run_batch(compile_program(flow), batch, context(**context_kwargs))


def run_one(flow: str | Path | Flow, inputs: Mapping[str, Any] | None = None, **context_kwargs: Any) -> InterviewResult:
    return run_flow(flow, [inputs or {}], **context_kwargs).results[0]


def outputs_of(
    flow: str | Path | Flow, inputs: Mapping[str, Any] | None = None, **context_kwargs: Any
) -> dict[str, Any]:
    """Run one interview that must finish, and return its outputs."""
    result = run_one(flow, inputs, **context_kwargs)
    assert result.status is FINISHED, result.failure
    assert result.outputs is not None
    return result.outputs


def path_of(result: InterviewResult) -> list[str]:
    """Element names in the order the interview executed them."""
    return [entry.element for entry in result.trace or []]


@dataclass(frozen=True)
class Version:
    """What a catalog hands out for a name: the version that runs."""

    flow: Flow


class Catalog:
    """An in-memory flow library: the runnable version of each name is the highest version added."""

    def __init__(self, *flows: Flow) -> None:
        self.flows: dict[str, list[Flow]] = {}
        for flow in flows:
            self.add(flow)

    def add(self, flow: Flow) -> Flow:
        self.flows.setdefault(flow.api_name.lower(), []).append(flow)
        return flow

    def runnable_version(self, name: str) -> Version | None:
        versions = self.flows.get(name.lower())
        if not versions:
            return None
        active = [f for f in versions if f.status == "Active"]
        return Version(max(active or versions, key=lambda f: f.version))


def engine_for(*flows: Flow) -> FlowEngine:
    return FlowEngine(Catalog(*flows))


# ------------------------------------------------------------------------------------------ actions


@dataclass
class RecordingAction:
    """An invocable action that records every bulk call and answers each request with *handler*."""

    name: str
    handler: Callable[[Mapping[str, Any]], Mapping[str, Any] | ActionFailure] = lambda request: {}
    action_type: str = "apex"
    label: str = "Recording action"
    description: str | None = None
    inputs: Sequence[ActionParameter] = ()
    outputs: Sequence[ActionParameter] = ()
    calls: list[list[dict[str, Any]]] = field(default_factory=list)
    batch_handler: Callable[[Sequence[Mapping[str, Any]]], Sequence[Any]] | None = None

    def invoke(self, requests: Sequence[Mapping[str, Any]], context: Any) -> Sequence[Any]:
        self.calls.append([dict(request) for request in requests])
        if self.batch_handler is not None:
            return self.batch_handler(requests)
        return [self.handler(request) for request in requests]


def registry_with(*actions: RecordingAction) -> ActionRegistry:
    registry = ActionRegistry()
    for action in actions:
        registry.register(action)
    return registry
