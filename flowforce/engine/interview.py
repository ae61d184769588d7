"""A running flow: variable values, position, loop positions and a trace. Nothing about the flow's shape.

SpiffWorkflow's split: the immutable `Program` describes the flow; an `Interview` only holds state, so a
paused interview can later be serialised without dragging the model along.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flowforce.engine.settings import EngineSettings

if TYPE_CHECKING:
    from flowforce.engine.context import RunContext
    from flowforce.engine.program import Program, Step


EMPTY_CHANGES: dict[str, Any] = {}


class InterviewStatus(StrEnum):
    """Values of `Flow__InterviewStatus` / FlowInterview.InterviewStatus."""

    RUNNING = "Started"
    FINISHED = "Finished"
    WAITING = "Waiting"
    ERROR = "Error"


class TraceEntry:
    """One executed element: what it was, what happened and why, what it changed.

    A plain slotted class rather than a dataclass: one is built per executed element, so it is on the
    engine's hot path (bench/engine.py).
    """

    __slots__ = ("changes", "detail", "duration_us", "element", "element_type", "fault", "label", "outcome")

    def __init__(self, element: str, element_type: str, label: str | None, outcome: str | None = None,
                 detail: str | None = None, changes: dict[str, Any] | None = None, duration_us: float = 0.0,
                 fault: str | None = None) -> None:
        self.element = element
        self.element_type = element_type
        self.label = label
        self.outcome = outcome
        self.detail = detail
        self.changes = EMPTY_CHANGES if changes is None else changes
        self.duration_us = duration_us
        self.fault = fault

    def __repr__(self) -> str:
        return f"TraceEntry({self.element!r}, outcome={self.outcome!r}, fault={self.fault!r})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "element": self.element,
            "elementType": self.element_type,
            "label": self.label,
            "outcome": self.outcome,
            "detail": self.detail,
            "changes": self.changes,
            "durationMicros": round(self.duration_us, 1),
            "fault": self.fault,
        }

    @classmethod
    def from_dict(cls, entry: dict[str, Any]) -> TraceEntry:
        """An entry kept as `as_dict` wrote it (a stored interview's trace)."""
        return cls(entry["element"], entry["elementType"], entry["label"], entry["outcome"], entry["detail"],
                   entry["changes"], entry["durationMicros"], entry["fault"])


@dataclass(slots=True)
class FailureInfo:
    """Why an interview failed: the element and the fault message (what Salesforce only emails)."""

    element: str | None
    element_type: str | None
    message: str


@dataclass(frozen=True, slots=True)
class CustomErrorInfo:
    """A Custom Error element's message: on the record (field None) or on one of its fields."""

    element: str
    field: str | None
    message: str


@dataclass(slots=True)
class LoopState:
    items: list[Any]
    position: int = 0


def new_interview_guid() -> str:
    """confirmations.md §5b: lower-case hex (38 chars seen live) + '-' + 4 hex."""
    digits = secrets.token_hex(21)
    return f"{digits[:38]}-{digits[38:]}"


def element_cap(api_version: Any, settings: EngineSettings) -> int:
    """confirmations.md §8: 2,000 executed elements below API 57; otherwise only the safety cap."""
    if api_version is not None and api_version < settings.legacy_element_limit_below_api:
        return settings.legacy_element_limit
    return settings.max_elements_per_interview


class Interview:
    """State of one interview. `values` is keyed by lower-cased resource name (references are case-tolerant)."""

    __slots__ = (
        "child", "context", "current", "custom_errors", "depth", "element_cap", "element_errors", "executed",
        "failure", "fault_message", "guid", "index", "loops", "path", "program", "start_time", "status", "trace",
        "values", "visited", "wait",
    )

    def __init__(self, program: Program, context: RunContext, *, index: int = 0, depth: int = 0,
                 path: tuple[int, ...] | None = None, guid: str | None = None) -> None:
        self.program = program
        self.context = context
        self.index = index
        self.depth = depth
        #: Where the interview sits in its batch: (input index,), then one more number per subflow level
        #: (the parent's executed-element count when it started the child). Deterministic across re-runs.
        self.path = path if path is not None else (index,)
        self.guid = guid or new_interview_guid()
        self.values: dict[str, Any] = {}
        self.current: Step | None = None
        self.status = InterviewStatus.RUNNING
        self.trace: list[TraceEntry] | None = [] if context.settings.trace else None
        self.failure: FailureInfo | None = None
        self.fault_message: str | None = None
        self.start_time: dt.datetime = context.now()
        self.loops: dict[str, LoopState] = {}
        self.executed = 0
        self.element_cap = element_cap(program.flow.api_version, context.settings)
        self.element_errors: set[str] = set()
        self.visited: set[str] = set()
        self.custom_errors: list[CustomErrorInfo] = []
        #: Where the interview paused: the Wait element and its events (the innermost one's, when paused
        #: inside a subflow).
        self.wait: dict[str, Any] | None = None
        #: The subflow interview this one waits for, when the pause happened inside a subflow.
        self.child: Interview | None = None

    @property
    def flow_name(self) -> str:
        return self.program.flow.api_name

    def record(self, entry: TraceEntry) -> None:
        if self.trace is not None:
            self.trace.append(entry)

    def fail(self, element: str | None, element_type: str | None, message: str) -> None:
        self.status = InterviewStatus.ERROR
        self.failure = FailureInfo(element, element_type, message)
        self.current = None

    def outputs(self) -> dict[str, Any]:
        """Every output variable, null when unset (confirmations.md §5a)."""
        return {var.name: self.values.get(var.name.lower()) for var in self.program.flow.outputs}
