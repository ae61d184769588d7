"""Triggered work that runs later, from the durable queue: asynchronous and scheduled paths of after-save
flows, and each batch of a schedule-triggered flow or of platform-event messages.

A path is queued inside the transaction that saved the record, so it exists only if that commits
(exactly once, never on rollback). "Run Asynchronously" (`AsyncAfterCommit`) is due at once; a scheduled
path is due at its offset from the trigger time or from a date/datetime field of the record (no date: no
run). Jobs of one flow version, path and user are claimed together, up to 200, and run as one bulkified
batch in the job's own transaction with `$Record` read again from the store (UNCONFIRMED: Salesforce's
scheduled paths also re-check the entry conditions on the record as it is then; flowforce does, and it keeps
no `$Record__Prior` for later paths). Failed interviews are kept as FlowInterview rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from flowforce.engine.batch import BatchResult
from flowforce.engine.engine import UnknownFlowError
from flowforce.engine.entry import entry_check, path_name, path_start, scheduled_path
from flowforce.engine.program import Program
from flowforce.jobs.queue import QueuedJob
from flowforce.metadata.model import ScheduledPath
from flowforce.records.record import Record
from flowforce.runtime.lifecycle import running_user
from flowforce.runtime.trigger_runs import CHUNK, TriggerCall, run_triggered, trigger_context

if TYPE_CHECKING:
    from flowforce.records.transaction import Transaction
    from flowforce.runtime.org import Org
    from flowforce.runtime.triggers import Trigger

TRIGGERED_RUN_JOB = "flow.triggered"
ASYNC_PATH = "AsyncAfterCommit"
OFFSET_UNITS = {"minutes": "minutes", "hours": "hours", "days": "days", "weeks": "weeks", "months": "months"}


def path_due(path: ScheduledPath, record: Record, now: dt.datetime) -> dt.datetime | None:
    """When a path runs for *record*: now for "Run Asynchronously", else the offset from its time source."""
    if (path.path_type or "") == ASYNC_PATH or (path.offset_number is None and path.time_source is None):
        return now
    base: Any = now
    if (path.time_source or "RecordTriggerEvent") == "RecordField":
        base = record.get(path.record_field or "")
        if base is None:
            return None
        if not isinstance(base, dt.datetime):
            base = dt.datetime.combine(base, dt.time(), tzinfo=dt.UTC)
    unit = OFFSET_UNITS.get((path.offset_unit or "Hours").lower(), "hours")
    due: dt.datetime = base + relativedelta(**{unit: path.offset_number or 0})
    return due


def run_job(program: Program, *, path: str | None, object_name: str | None, ids: Sequence[str],
            user_id: str | None, run_at: dt.datetime | None = None, batched: bool = True) -> QueuedJob:
    """Interviews of *program* for the records *ids* (none: one interview without a record), as a job; batched
    jobs of one version, path and user are claimed together."""
    flow = program.flow
    payload = {"flow": flow.api_name, "version": flow.version, "path": path, "object": object_name,
               "ids": list(ids), "user": user_id}
    batch_key = f"{flow.api_name}|{flow.version}|{path}|{user_id}" if batched else None
    return QueuedJob(payload, run_at, batch_key=batch_key)


def queue_runs(org: Org, tx: Transaction, jobs: list[QueuedJob]) -> None:
    org.jobs.enqueue_many(tx, TRIGGERED_RUN_JOB, jobs)


def queue_paths(org: Org, tx: Transaction, trigger: Trigger, records: Sequence[Record], user_id: str | None) -> None:
    """The asynchronous and scheduled paths of an after-save flow, for the records that entered it."""
    now = org.clock.now()
    object_name = trigger.flow.start.object if trigger.flow.start is not None else None
    jobs: list[QueuedJob] = []
    for path in trigger.paths:
        for record in records:
            due = path_due(path, record, now)
            if due is not None and record.id is not None:
                jobs.append(run_job(trigger.program, path=path_name(path), object_name=object_name, ids=[record.id],
                                    user_id=user_id, run_at=due))
    queue_runs(org, tx, jobs)


def loaded_program(org: Org, name: str, version: int) -> Program | None:
    """A version's program as the org loaded it: a job runs inside its own transaction, where reading the
    stored versions again cannot share the connection on in-memory SQLite, so that is done only for a version
    this process has not loaded."""
    loaded = org.loaded_flows.get(name, version)
    if loaded is not None:
        return org.engine.compiled(loaded.flow)
    try:  # a version another process added since: look at the stored versions again, as queued interviews do
        return org.version(name, version)
    except UnknownFlowError:
        return None


def register_trigger_jobs(org: Org) -> None:
    org.jobs.register_batch(TRIGGERED_RUN_JOB, lambda tx, payloads: run_queued(org, tx, payloads),
                            batch_size=CHUNK)


def run_queued(org: Org, tx: Transaction, payloads: list[dict[str, Any]]) -> None:
    groups: dict[tuple[Any, ...], list[str]] = {}
    for payload in payloads:
        key = (payload["flow"], payload["version"], payload.get("path"), payload.get("object"), payload.get("user"))
        groups.setdefault(key, []).extend(payload.get("ids") or [])
    for (flow, version, path, object_name, user_id), ids in groups.items():
        program = loaded_program(org, flow, int(version))
        if program is None:
            continue  # the version is gone: its queued work has nothing to run
        run_group(org, tx, program, path, object_name, ids, user_id)


def run_group(org: Org, tx: Transaction, program: Program, path: str | None, object_name: str | None,
              ids: list[str], user_id: str | None) -> None:
    found = scheduled_path(program, path) if path else None
    if path and found is None:
        return  # the path was removed from the flow since
    start = path_start(program, found) if found is not None else program.start
    run_as = running_user(tx, user_id)
    call = TriggerCall(program, start, entry_check(program, require_change=False), in_save=False)
    batches: list[BatchResult]
    if object_name is None:
        batches = [org.engine.run_program(program, [None], trigger_context(org, tx, call, run_as))]
    else:
        records = [record for record in tx.retrieve(object_name, ids) if record is not None]
        batches = run_triggered(org, tx, call, records, [None] * len(records), run_as).batches
    for batch in batches:
        org.interviews.record(tx, program, batch, user_id=user_id)
