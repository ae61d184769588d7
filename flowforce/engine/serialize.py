"""A paused interview as JSON and back (SpiffWorkflow's serializer split): variables, position, loop positions,
what it waits for and the paused subflow below it — never the flow's shape, which the flow version holds.

The document carries a format version; `MIGRATIONS` turns an older document into the current one, so paused
interviews survive upgrades of flowforce. A paused interview resumes with the flow version it started on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flowforce.engine.context import RunContext
from flowforce.engine.interview import CustomErrorInfo, Interview, InterviewStatus, LoopState
from flowforce.engine.program import Program
from flowforce.records.record import Record

FORMAT = 1
#: Older format number → a function upgrading such a document by one version.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

ProgramLookup = Callable[[str, int], Program]


class InterviewStateError(ValueError):
    """The stored state can't be read back (unknown format, flow version gone, element renamed)."""


def encode(value: Any) -> Any:
    """A flow value as JSON, keeping the types formulas and comparisons depend on."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, Decimal):
        return {"$n": str(value)}
    if isinstance(value, float):
        return {"$f": repr(value)}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, Record):
        return {"$r": value.sobject_type, "f": {name: encode(item) for name, item in value.items()}}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"$m": {str(key): encode(item) for key, item in value.items()}}
    raise InterviewStateError(f"a value of type {type(value).__name__} can't be kept in a paused interview")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$n" in value:
        return Decimal(value["$n"])
    if "$f" in value:
        return float(value["$f"])
    if "$dt" in value:
        return dt.datetime.fromisoformat(value["$dt"])
    if "$d" in value:
        return dt.date.fromisoformat(value["$d"])
    if "$t" in value:
        return dt.time.fromisoformat(value["$t"])
    if "$r" in value:
        return Record(value["$r"], {name: decode(item) for name, item in value["f"].items()})
    if "$m" in value:
        return {key: decode(item) for key, item in value["$m"].items()}
    raise InterviewStateError(f"unknown value encoding {sorted(value)}")


def dump(iv: Interview) -> dict[str, Any]:
    """The paused interview (and the subflow interview it waits for) as a JSON-ready document."""
    if iv.status is not InterviewStatus.WAITING or iv.current is None:
        raise InterviewStateError("only a paused interview is kept")
    return {
        "format": FORMAT,
        "flow": iv.program.flow.api_name, "version": iv.program.flow.version,
        "guid": iv.guid, "index": iv.index, "depth": iv.depth, "path": list(iv.path),
        "started": iv.start_time.isoformat(), "current": iv.current.name,
        "values": {key: encode(value) for key, value in iv.values.items()},
        "loops": {key: {"items": encode(state.items), "position": state.position} for key, state in iv.loops.items()},
        "faultMessage": iv.fault_message, "executed": iv.executed,
        "visited": sorted(iv.visited), "elementErrors": sorted(iv.element_errors),
        "customErrors": [[error.element, error.field, error.message] for error in iv.custom_errors],
        "wait": iv.wait, "child": dump(iv.child) if iv.child is not None else None,
    }


def load(document: dict[str, Any], programs: ProgramLookup, context: RunContext) -> Interview:
    """The paused interview back, attached to *context* (a new transaction's), still waiting."""
    document = migrate(document)
    program = programs(document["flow"], int(document["version"]))
    current = program.steps.get(str(document["current"]).lower())
    if current is None:
        raise InterviewStateError(f"element {document['current']} no longer exists in {document['flow']} "
                                  f"version {document['version']}")
    iv = Interview(program, context, index=int(document["index"]), depth=int(document["depth"]),
                   path=tuple(document["path"]), guid=document["guid"])
    iv.start_time = dt.datetime.fromisoformat(document["started"])
    iv.values = {key: decode(value) for key, value in document["values"].items()}
    iv.loops = {key: LoopState(decode(state["items"]), int(state["position"]))
                for key, state in document["loops"].items()}
    iv.fault_message = document.get("faultMessage")
    iv.executed = int(document["executed"])
    iv.visited = set(document["visited"])
    iv.element_errors = set(document["elementErrors"])
    iv.custom_errors = [CustomErrorInfo(*error) for error in document["customErrors"]]
    iv.wait = document.get("wait")
    iv.status = InterviewStatus.WAITING
    iv.current = current
    if document.get("child") is not None:
        iv.child = load(document["child"], programs, context)
    return iv


def migrate(document: dict[str, Any]) -> dict[str, Any]:
    version = int(document.get("format", 0))
    while version < FORMAT:
        upgrade = MIGRATIONS.get(version)
        if upgrade is None:
            raise InterviewStateError(f"paused interview format {version} can't be read by this flowforce")
        document = upgrade(document)
        version = int(document.get("format", version + 1))
    if version > FORMAT:
        raise InterviewStateError(f"paused interview format {version} is newer than this flowforce")
    return document
