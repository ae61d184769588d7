"""Which active flows fire on which DML: the trigger index of an org's flow library.

reference/flow-metadata.md §8.1: `start.triggerType` RecordBeforeSave / RecordAfterSave / RecordBeforeDelete
on `start.object` for `start.recordTriggerType` Create / Update / CreateAndUpdate / Delete; several flows on
the same object and timing run by `triggerOrder`, then API name (the tie-break is UNCONFIRMED). Scheduled
flows and platform-event flows are indexed here too, so that one pass over the library finds them all.
Only active versions fire (a draft never does).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flowforce.engine.entry import EntryCheck, entry_check
from flowforce.engine.program import FlowCompileError, Program
from flowforce.metadata.model import Flow, ScheduledPath
from flowforce.metadata.project import LoadedFlow
from flowforce.runtime.versions import ACTIVE

log = logging.getLogger("flowforce.triggers")

BEFORE_SAVE = "RecordBeforeSave"
AFTER_SAVE = "RecordAfterSave"
BEFORE_DELETE = "RecordBeforeDelete"
SCHEDULED = "Scheduled"
PLATFORM_EVENT = "PlatformEvent"
RECORD_TRIGGERS = frozenset({BEFORE_SAVE, AFTER_SAVE, BEFORE_DELETE})

#: recordTriggerType → the DML operations (records/hooks.py names) it fires on.
OPERATIONS: dict[str, frozenset[str]] = {
    "Create": frozenset({"insert"}),
    "Update": frozenset({"update"}),
    "CreateAndUpdate": frozenset({"insert", "update"}),
    "Delete": frozenset({"delete"}),
}
#: Without an order, flows run after every ordered one (Salesforce: 1–2,000, then unordered by name).
UNORDERED = 10_000


@dataclass(frozen=True)
class Trigger:
    """One active flow version's trigger: its program, entry conditions and asynchronous/scheduled paths."""

    program: Program
    entry: EntryCheck
    operations: frozenset[str]
    paths: tuple[ScheduledPath, ...]

    @property
    def flow(self) -> Flow:
        return self.program.flow

    @property
    def key(self) -> str:
        return self.flow.api_name.lower()


def active_flows(library: Iterable[LoadedFlow]) -> list[Flow]:
    """The versions that fire: active as the org keeps them (activation over the API included)."""
    return [loaded.flow for loaded in library if loaded.effective_status == ACTIVE and loaded.flow.runnable_headless]


class TriggerIndex:
    """(object, triggerType) → triggers in run order; scheduled flows; platform-event flows by event."""

    def __init__(self, flows: Iterable[Flow], compile_flow: Callable[[Flow], Program]) -> None:
        self._by_key: dict[tuple[str, str], list[Trigger]] = {}
        self.scheduled: list[Trigger] = []
        for flow in sorted(flows, key=lambda f: (f.trigger_order or UNORDERED, f.api_name.lower())):
            start = flow.start
            if start is None or start.trigger_type not in RECORD_TRIGGERS | {SCHEDULED, PLATFORM_EVENT}:
                continue
            try:
                program = compile_flow(flow)
                trigger = Trigger(program, entry_check(program), OPERATIONS.get(start.record_trigger_type or "",
                                                                                frozenset()), start.scheduled_paths)
            except FlowCompileError as error:
                log.warning("the active flow %s cannot fire: %s", flow.api_name, error)
                continue
            if start.trigger_type == SCHEDULED:
                self.scheduled.append(trigger)
            elif start.object:
                self._by_key.setdefault((start.object.lower(), start.trigger_type or ""), []).append(trigger)

    def triggers(self, object_name: str, trigger_type: str, operation: str) -> list[Trigger]:
        found = self._by_key.get((object_name.lower(), trigger_type), [])
        if trigger_type == PLATFORM_EVENT:
            return found
        return [trigger for trigger in found if operation in trigger.operations]

    def fires_on(self, object_name: str) -> bool:
        folded = object_name.lower()
        return any(key[0] == folded for key in self._by_key)
