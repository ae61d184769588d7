"""Loop: each arrival takes the next item; the item is a copy (H-LOOP) and re-entry after the end restarts.

The collection is snapshotted when the loop starts (UNCONFIRMED; the safe reading of §5.3). A null
collection iterates zero times (confirmations.md §6a: Get Records with no match leaves null).
"""

from __future__ import annotations

from typing import Any

from flowforce.engine.interview import Interview, LoopState
from flowforce.engine.program import Program, Step
from flowforce.metadata.model import Loop
from flowforce.records.record import Record


def copy_item(item: Any) -> Any:
    if isinstance(item, Record):
        return item.copy()
    if isinstance(item, dict):
        return dict(item)
    return item


class LoopStep(Step):
    pure = True

    def __init__(self, node: Loop, program: Program) -> None:
        super().__init__(node, program)
        self.loop = node
        self.collection = program.references.getter(node.collection_reference, strict=False)
        self.descending = (node.iteration_order or "Asc").lower() == "desc"
        target = node.assign_next_value_to_reference
        self.assign = program.references.setter(target) if target else None
        self.when_item: Step | None = None
        self.when_done: Step | None = None

    def link(self) -> None:
        self.when_item = self.program.step_for(self.loop.next_value_connector, self.name)
        self.when_done = self.program.step_for(self.loop.no_more_values_connector, self.name)

    def run(self, iv: Interview) -> Step | None:
        state = iv.loops.get(self.key)
        if state is None:
            source = self.collection(iv)
            items = list(source) if isinstance(source, list) else ([] if source is None else [source])
            if self.descending:
                items.reverse()
            state = iv.loops[self.key] = LoopState(items)
        if state.position < len(state.items):
            item = copy_item(state.items[state.position])
            state.position += 1
            if self.assign is not None:
                self.assign(iv, item)
            else:
                iv.values[self.key] = item
            if iv.trace is not None:
                iv.record(self.entry("next item", f"item {state.position} of {len(state.items)}"))
            return self.when_item
        del iv.loops[self.key]
        if iv.trace is not None:
            iv.record(self.entry("no more items", f"{len(state.items)} items done"))
        return self.when_done
