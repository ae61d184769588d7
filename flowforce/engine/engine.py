"""The engine's front door: find a flow's runnable version, compile it once, run inputs as one batch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from threading import Lock
from typing import Any, Protocol

from flowforce.engine.batch import BatchResult, run_batch
from flowforce.engine.context import RunContext
from flowforce.engine.elements import STEP_TYPES
from flowforce.engine.program import Program
from flowforce.metadata.model import Flow


class LoadedVersion(Protocol):
    @property
    def flow(self) -> Flow: ...


class FlowCatalog(Protocol):
    """Where flows come from (a FlowLibrary): the version that runs for a name (confirmations.md §4a)."""

    def runnable_version(self, name: str) -> LoadedVersion | None: ...


class UnknownFlowError(LookupError):
    pass


class ProgramCache:
    """Compiled programs per flow version; compiling parses every formula, so do it once."""

    def __init__(self) -> None:
        self._programs: dict[int, tuple[Flow, Program]] = {}
        self._lock = Lock()

    def get(self, flow: Flow) -> Program:
        entry = self._programs.get(id(flow))
        if entry is not None and entry[0] is flow:
            return entry[1]
        program = Program(flow, STEP_TYPES)
        with self._lock:
            self._programs[id(flow)] = (flow, program)
        return program


def compile_program(flow: Flow) -> Program:
    return Program(flow, STEP_TYPES)


class FlowEngine:
    """Runs flows of a catalog; also the `FlowSource` subflows resolve their children through."""

    def __init__(self, catalog: FlowCatalog) -> None:
        self.catalog = catalog
        self.programs = ProgramCache()

    def program_for(self, flow_name: str) -> Program | None:
        found = self.catalog.runnable_version(flow_name)
        if found is None:
            return None
        return self.programs.get(found.flow)

    def compiled(self, flow: Flow) -> Program:
        """The program of a flow version the caller already picked (compiled once, then cached)."""
        return self.programs.get(flow)

    def run(self, flow_name: str, inputs: Sequence[Mapping[str, Any] | None],
            context: RunContext | None = None) -> BatchResult:
        program = self.program_for(flow_name)
        if program is None:
            raise UnknownFlowError(flow_name)
        return self.run_program(program, inputs, context)

    def run_program(self, program: Program, inputs: Sequence[Mapping[str, Any] | None],
                    context: RunContext | None = None, *, guids: Sequence[str] | None = None) -> BatchResult:
        context = context or RunContext()
        if context.flows is None:
            context.flows = self
        return run_batch(program, inputs, context, guids=guids)
