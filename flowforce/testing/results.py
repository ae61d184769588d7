"""What a test sees of an interview: status, outputs, error and the element-by-element path, readable."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flowforce.engine.batch import InterviewResult
from flowforce.engine.interview import TraceEntry


@dataclass
class InvokeResult:
    """One interview's outcome. `outputs` holds Python values (Decimal numbers, dates, records)."""

    flow: str
    status: str
    outputs: dict[str, Any]
    guid: str | None
    error: str | None = None
    failed_element: str | None = None
    trace: list[TraceEntry] = field(default_factory=list)
    interview_id: str | None = None

    @classmethod
    def of(cls, result: InterviewResult, interview_id: str | None = None) -> InvokeResult:
        failure = result.failure
        return cls(result.flow_name, result.status.value, dict(result.outputs or {}), result.guid,
                   failure.message if failure else None, failure.element if failure else None,
                   list(result.trace or []), interview_id)

    @property
    def success(self) -> bool:
        return self.status != "Error"

    @property
    def visited(self) -> list[str]:
        return [entry.element for entry in self.trace]

    def __getitem__(self, name: str) -> Any:
        return self.outputs[name]

    def explain(self) -> str:
        """The interview's path: each element, the outcome it took and why, what it changed."""
        lines = [f"{self.flow}: {self.status}" + (f" at {self.failed_element}: {self.error}" if self.error else "")]
        for number, entry in enumerate(self.trace, 1):
            why = entry.fault or entry.detail or ""
            outcome = f" -> {entry.outcome}" if entry.outcome else ""
            changed = ", ".join(f"{name}={_show(value)}" for name, value in entry.changes.items())
            lines.append(f"  {number:>3}. {entry.element} ({entry.element_type}){outcome}"
                         + (f"  [{why}]" if why else "") + (f"  {changed}" if changed else ""))
        return "\n".join(lines)


def _show(value: Any) -> str:
    from flowforce.api.wire_values import to_wire

    text = json.dumps(to_wire(value), default=str)
    return text if len(text) <= 80 else text[:77] + "..."
