"""Get/Create/Update/Delete Records: bulk steps backed by the record store.

They plug in like any other element; until the record store is attached to the context they fault with
a message saying so, which follows the element's fault connector like any DML failure would.
"""

from __future__ import annotations

from collections.abc import Sequence

from flowforce.engine.faults import ElementFault
from flowforce.engine.interview import Interview
from flowforce.engine.program import Outcome, Step


class RecordElementStep(Step):
    bulk = True
    verb = "access"

    def run(self, iv: Interview) -> Step | None:  # pragma: no cover - bulk steps run through run_batch
        raise NotImplementedError

    def run_batch(self, interviews: Sequence[Interview]) -> list[Outcome]:
        gateway = interviews[0].context.records
        handler = getattr(gateway, "run_record_element", None)
        if handler is None:
            fault = ElementFault(f"This error occurred when the flow tried to {self.verb} records: no record "
                                 "store is attached to this run.")
            return [fault for _ in interviews]
        outcomes: list[Outcome] = handler(self, interviews)
        return outcomes


class RecordLookupStep(RecordElementStep):
    verb = "look up"


class RecordCreateStep(RecordElementStep):
    verb = "create"


class RecordUpdateStep(RecordElementStep):
    verb = "update"


class RecordDeleteStep(RecordElementStep):
    verb = "delete"
