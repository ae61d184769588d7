"""Interviews across transactions: accepted now and run from the queue, paused and resumed, kept and purged.

Each queued step runs in the job's own transaction (flowforce/jobs): the flow's work, the FlowInterview row's
new state and the job's completion commit together, so a crash mid-way leaves the interview to run again,
never half-done and never twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flowforce.engine.batch import BatchResult, InterviewResult, failed_input
from flowforce.engine.faults import InputError
from flowforce.engine.interview import InterviewStatus
from flowforce.engine.program import Program
from flowforce.engine.resume import resume_batch
from flowforce.engine.serialize import load
from flowforce.metadata.model import Flow
from flowforce.records.record import Record
from flowforce.records.transaction import Transaction
from flowforce.runtime.flow_records import FLOW_INTERVIEW
from flowforce.runtime.interviews import ERROR, PAUSED, PURGE_JOB, RESUME_JOB, START_JOB
from flowforce.settings import Settings

if TYPE_CHECKING:
    from flowforce.runtime.org import FlowRun, Org

@dataclass(frozen=True)
class RunningUser:
    """The user a queued interview acts for (there is no session: it runs later, from the queue)."""

    user_id: str
    user_record: Any
    session_id: str | None = None


def runs_async(flow: Flow, settings: Settings) -> bool:
    """On-demand flows, and flows flowforce.toml marks `run = "async"`, are accepted and run from the queue."""
    configured = {name.lower(): table for name, table in settings.flows.items()}
    mode = str(configured.get(flow.api_name.lower(), {}).get("run", "")).lower()
    if mode:
        return mode == "async"
    return flow.on_demand


def needs_rows(batch: BatchResult) -> bool:
    return any(not result.input_error and result.status in (InterviewStatus.WAITING, InterviewStatus.ERROR)
               for result in batch.results)


def start_async(org: Org, program: Program, inputs: Sequence[Mapping[str, Any] | None], run_as: Any) -> FlowRun:
    """Check every input now (a bad one fails at once, like a synchronous invoke), queue the rest: each answers
    `Flow__InterviewStatus` Started with the GUID its FlowInterview row and its later run keep."""
    from flowforce.runtime.org import FlowRun

    context = org.run_context(run_as, trace=False)
    results: list[InterviewResult] = []
    accepted: list[tuple[int, Mapping[str, Any] | None, str]] = []
    for index, values in enumerate(inputs):
        try:
            guid = program.new_interview(context, values, index=index).guid
        except InputError as error:
            results.append(failed_input(program, error))
            continue
        accepted.append((index, values, guid))
        results.append(InterviewResult(program.flow.api_name, program.flow.version, guid, InterviewStatus.RUNNING,
                                       {}))
    ids: dict[int, str] = {}
    if accepted:
        with org.transaction(run_as) as tx:
            created = org.interviews.accept(tx, program, [values for _, values, _ in accepted],
                                            [guid for _, _, guid in accepted],
                                            run_as.user_id if run_as is not None else None)
        ids = {index: interview_id for (index, _, _), interview_id in zip(accepted, created)}
    return FlowRun(BatchResult(results), None, bool(accepted), 0.0, ids)


def create_interview(org: Org, flow_name: str, inputs: Mapping[str, Any], run_as: Any) -> FlowRun:
    """Seed 002 `POST sobjects/FlowInterview`: start one interview that is kept as a record whatever happens."""
    program = org.program(flow_name)
    if runs_async(program.flow, org.settings):
        return start_async(org, program, [inputs], run_as)
    return org.run(program.flow, [inputs], run_as=run_as, keep_rows=True)


# --- queued steps --------------------------------------------------------------------------------------------


def register_interview_jobs(org: Org) -> None:
    org.jobs.register_batch(START_JOB, lambda tx, payloads: run_started(org, tx, [p["interview"] for p in payloads]),
                            batch_size=org.settings.job_batch_size)
    org.jobs.register(RESUME_JOB, lambda tx, payload: run_resumed(org, tx, payload["interview"],
                                                                  payload.get("event"), int(payload.get("retry", 0))))
    org.jobs.register(PURGE_JOB, lambda tx, payload: purge(org, tx))


def running_user(tx: Transaction, user_id: str | None) -> RunningUser | None:
    if not user_id:
        return None
    record = tx.fetch_record("User", user_id)
    return RunningUser(user_id, record) if record is not None else None


def interview_row(tx: Transaction, interview_id: str) -> Record | None:
    """The FlowInterview row, or None when it was deleted (its queued work then has nothing to do)."""
    [row] = tx.retrieve(FLOW_INTERVIEW, [interview_id], ["InterviewStatus"])
    return row


def run_started(org: Org, tx: Transaction, interview_ids: list[str]) -> None:
    """Queued interviews of one flow version and user, run as one batch in the job's transaction."""
    stored = org.interviews.stored_many(interview_ids, tx.connection)
    rows = dict(zip(interview_ids, tx.retrieve(FLOW_INTERVIEW, interview_ids, ["Guid"])))
    ready = [interview_id for interview_id in interview_ids if interview_id in stored and rows[interview_id]]
    if not ready:
        return  # deleted before they ran
    first = stored[ready[0]]
    program = org.version(first.flow, first.version)
    run = org.run_in(tx, program, [stored[i].inputs or {} for i in ready], run_as=running_user(tx, first.user_id),
                     guids=[str(rows[i]["Guid"]) for i in ready])  # type: ignore[index]
    org.interviews.record(tx, program, run.batch, user_id=first.user_id, known=dict(enumerate(ready)))


def run_resumed(org: Org, tx: Transaction, interview_id: str, event: str | None, retry: int,
                outputs: dict[str, Any] | None = None) -> None:
    """A Wait's time came (or its platform event, with *outputs*): continue the paused interview in this (the
    job's) transaction."""
    stored = org.interviews.stored(interview_id, tx.connection)
    row = interview_row(tx, interview_id)
    if stored is None or row is None or row["InterviewStatus"] != PAUSED or stored.state is None:
        return  # deleted, or already resumed by another event
    run_as = running_user(tx, stored.user_id)
    context = org.run_context(run_as, trace=True)
    context.records = org.gateway(tx)
    state = stored.state
    batch = resume_batch(lambda _: load(state, org.version, context), 1, [(event, outputs)], context)
    [result] = batch.results
    program = org.version(stored.flow, stored.version)
    failed = result.status is InterviewStatus.ERROR
    if failed and org.interviews.retry_resume(tx, interview_id, event, retry):
        # confirmations.md §9c: retried later; the row stays Paused and shows why the last attempt failed.
        with tx.as_platform():
            tx.update(FLOW_INTERVIEW, [{"Id": interview_id, "Error": result.failure.message if result.failure
                                        else None}])
        return
    org.interviews.record(tx, program, batch, user_id=stored.user_id, known={0: interview_id})


def purge(org: Org, tx: Transaction) -> None:
    """Drop kept interviews past the retention period, then come back tomorrow."""
    now = org.clock.now()
    org.interviews.purge(tx, now - dt.timedelta(days=org.settings.interview_retention_days))
    org.jobs.enqueue(tx, PURGE_JOB, {}, run_at=now + dt.timedelta(days=1), key=PURGE_JOB)


def schedule_purge(org: Org) -> None:
    """Make sure one purge job is queued (several processes may start on one database: the key dedupes)."""
    if org.jobs.jobs(kind=PURGE_JOB, status="queued", limit=1):
        return
    with org.store.transaction(system=True) as tx:
        org.jobs.enqueue(tx, PURGE_JOB, {}, run_at=org.clock.now() + dt.timedelta(hours=1), key=PURGE_JOB)


__all__ = ["ERROR", "RunningUser", "create_interview", "runs_async", "schedule_purge", "start_async"]
