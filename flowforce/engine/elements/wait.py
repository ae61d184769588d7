"""Wait: the interview pauses (`Flow__InterviewStatus` = Waiting, confirmations.md §9c).

The jobs issue persists and resumes paused interviews; here the pause and its resume conditions are
recorded on the interview so that work can pick them up.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flowforce.engine.interview import Interview, InterviewStatus
from flowforce.engine.program import Program, Step
from flowforce.metadata.model import Wait

OFFSET_UNITS = {"minutes": "minutes", "hours": "hours", "days": "days", "weeks": "weeks"}


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


class WaitStep(Step):
    def __init__(self, node: Wait, program: Program) -> None:
        super().__init__(node, program)
        self.wait = node
        self.events = [
            (event, [(p.name, program.value(p.value, strict=False)) for p in event.input_parameters])
            for event in node.wait_events
        ]

    def link(self) -> None:
        super().link()
        for event, _ in self.events:
            self.program.step_for(event.connector, self.name)
        self.program.step_for(self.wait.default_connector, self.name)

    def run(self, iv: Interview) -> Step | None:
        pending = []
        for event, parameters in self.events:
            values = {name: getter(iv) for name, getter in parameters}
            resume_at = alarm_time(values) if event.event_type == "AlarmEvent" else None
            pending.append({"name": event.name, "eventType": event.event_type,
                            "resumeAt": resume_at.isoformat() if resume_at else None})
        iv.wait = {"element": self.name, "events": pending}
        iv.status = InterviewStatus.WAITING
        if iv.trace is not None:
            iv.record(self.entry("paused", f"waiting for {len(pending)} event(s)"))
        return None
