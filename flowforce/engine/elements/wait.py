"""Wait: the interview pauses (`Flow__InterviewStatus` = Waiting, confirmations.md §9c) until one of its events
fires, then resumes along that event's connector in a new transaction (reference/flow-metadata.md §5.16).

The step records what the interview waits for (`Interview.wait`: each event and, for time-based events, when
it falls due); whoever runs flows persists the paused interview and resumes it (`resume_at`). With no event
that can ever fire — every alarm time blank — the interview takes the default path at once ("the default path
… when no other event is ready"; UNCONFIRMED beyond the Builder's wording).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flowforce.engine.condition_logic import combine
from flowforce.engine.interview import Interview, InterviewStatus
from flowforce.engine.operators import COMPARATORS
from flowforce.engine.program import Program, Step
from flowforce.metadata.model import Condition, Wait
from flowforce.records.record import Record

OFFSET_UNITS = {"minutes": "minutes", "hours": "hours", "days": "days", "weeks": "weeks"}
ALARM_EVENT = "AlarmEvent"


def alarm_time(parameters: dict[str, Any]) -> dt.datetime | None:
    base = parameters.get("AlarmTime")
    if not isinstance(base, dt.datetime):
        if isinstance(base, dt.date):
            base = dt.datetime(base.year, base.month, base.day, tzinfo=dt.UTC)
        else:
            return None
    offset = parameters.get("TimeOffset") or Decimal(0)
    unit = OFFSET_UNITS.get(str(parameters.get("TimeOffsetUnit") or "Hours").lower(), "hours")
    return base + dt.timedelta(**{unit: float(offset)})


def is_platform_event(event_type: str | None) -> bool:
    return bool(event_type) and str(event_type).lower().endswith("__e")


class WaitStep(Step):
    def __init__(self, node: Wait, program: Program) -> None:
        super().__init__(node, program)
        self.wait = node
        self.events = [
            (event, [(p.name, program.value(p.value, strict=False)) for p in event.input_parameters])
            for event in node.wait_events
        ]
        self.targets: dict[str, Step | None] = {}
        self.outputs: dict[str, list[tuple[str, Any]]] = {}
        self.default: Step | None = None

    def link(self) -> None:
        super().link()
        for event, _ in self.events:
            self.targets[event.name.lower()] = self.program.step_for(event.connector, self.name)
            self.outputs[event.name.lower()] = [(p.name, self.program.references.setter(p.assign_to_reference))
                                                for p in event.output_parameters if p.assign_to_reference]
        self.default = self.program.step_for(self.wait.default_connector, self.name)

    def run(self, iv: Interview) -> Step | None:
        pending = []
        for event, parameters in self.events:
            values = {name: getter(iv) for name, getter in parameters}
            resume_at = alarm_time(values) if event.event_type == ALARM_EVENT else None
            if resume_at is None and not is_platform_event(event.event_type):
                continue  # this event can never fire
            pending.append({"name": event.name, "eventType": event.event_type,
                            "resumeAt": resume_at.isoformat() if resume_at else None})
        if not pending:
            if iv.trace is not None:
                iv.record(self.entry("default path", "no wait event can fire"))
            return self.default
        iv.wait = {"element": self.name, "events": pending}
        iv.status = InterviewStatus.WAITING
        if iv.trace is not None:
            iv.record(self.entry("paused", f"waiting for {len(pending)} event(s)"))
        return None

    def resume(self, iv: Interview, event: str | None, outputs: dict[str, Any] | None = None) -> Step | None:
        """Where the interview continues when *event* fired (None: the default path), its outputs stored."""
        key = (event or "").lower()
        if key not in self.targets:
            return self.default
        for name, setter in self.outputs.get(key, []):
            setter(iv, (outputs or {}).get(name))
        if iv.trace is not None:
            iv.record(self.entry(f"resumed: {event}"))
        return self.targets[key]


    def event_arrived(self, iv: Interview, event_type: str, message: Record) -> tuple[str, dict[str, Any]] | None:
        """The first of this Wait's events that a published platform event *message* satisfies: its name and the
        outputs it hands the interview (each output parameter receives the message — UNCONFIRMED). Resume
        conditions compare a field of the message (left) with a value of the interview (right)."""
        for event, _ in self.events:
            if (event.event_type or "").lower() != event_type.lower():
                continue
            checks = [self._message_condition(condition, message) for condition in event.conditions]
            if combine(event.condition_logic, checks)(iv):
                return event.name, {parameter.name: message for parameter in event.output_parameters}
        return None

    def _message_condition(self, condition: Condition, message: Record) -> Callable[[Interview], bool]:
        field = condition.left_value_reference
        field = field.split(".", 1)[1] if field.lower().startswith("$record.") else field
        left = message.get(field)
        right = self.program.value(condition.right_value, strict=False)
        compare = COMPARATORS.get(condition.operator)
        if compare is None:
            return lambda iv: False
        return lambda iv: bool(compare(left, right(iv)))


def resume_at(wait: dict[str, Any]) -> tuple[str, dt.datetime] | None:
    """The first time-based event of a pause and when it falls due (None: only other events can resume it)."""
    timed = [(event["name"], dt.datetime.fromisoformat(event["resumeAt"]))
             for event in wait.get("events", []) if event.get("resumeAt")]
    return min(timed, key=lambda item: item[1]) if timed else None
