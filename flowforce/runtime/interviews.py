"""Interviews that outlive their transaction: FlowInterview records, paused state, asynchronous starts, resumes.

confirmations.md §9b: Salesforce keeps a FlowInterview row for every interview that pauses (`Paused`, the Wait as
`CurrentElement`) and every one that fails (`Error`, the fault message); finished ones leave none. flowforce also
keeps asynchronous interviews — accepted, then run from the job queue — so their outcome can be read; finished
and failed rows are kept for a retention period with their outputs and element trace. A paused interview's row,
its state and the job that resumes it are written in the transaction that paused it: they exist together or
not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from flowforce.engine.batch import BatchResult, InterviewResult
from flowforce.engine.elements.wait import resume_at
from flowforce.engine.interview import Interview, InterviewStatus
from flowforce.engine.program import Program
from flowforce.engine.serialize import decode, dump, encode
from flowforce.jobs import JobQueue
from flowforce.records.column_types import UtcDateTime
from flowforce.records.store import RecordStore
from flowforce.records.transaction import Transaction
from flowforce.runtime.flow_records import FLOW, FLOW_INTERVIEW

RUNNING, PAUSED, COMPLETED, ERROR = "Running", "Paused", "Completed", "Error"
START_JOB, RESUME_JOB, PURGE_JOB = "interview.start", "interview.resume", "interview.purge"
#: confirmations.md §9c: an interview that fails after a time-based resume is retried 15, 30, 60 and 120
#: minutes later, then fails.
RESUME_RETRY_MINUTES = (15, 30, 60, 120)


def state_table(metadata: sa.MetaData) -> sa.Table:
    """What a FlowInterview row does not show: the paused state, outputs, trace, and how it was started."""
    return sa.Table(
        "ff_interviews", metadata,
        sa.Column("id", sa.String(18), primary_key=True),
        sa.Column("flow", sa.String(255), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("user_id", sa.String(18)),
        sa.Column("inputs", sa.Text),
        sa.Column("state", sa.Text),
        sa.Column("outputs", sa.Text),
        sa.Column("trace", sa.Text),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


@dataclass(frozen=True)
class StoredInterview:
    id: str
    flow: str
    version: int
    user_id: str | None
    inputs: dict[str, Any] | None
    state: dict[str, Any] | None
    outputs: dict[str, Any] | None
    trace: list[dict[str, Any]] | None


def _json(value: Any) -> str | None:
    """Typed JSON (engine/serialize.py): numbers, dates and records come back as they went in."""
    return None if value is None else json.dumps(encode(value))


class InterviewLedger:
    """FlowInterview rows and their state, written inside the transactions that change them."""

    def __init__(self, store: RecordStore, jobs: JobQueue) -> None:
        self.store = store
        self.jobs = jobs
        self.table = state_table(sa.MetaData())
        self._version_ids: dict[tuple[str, int], str | None] = {}
        with store.engine.begin() as conn:
            if store.dialect_name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('flowforce.interviews.schema'))")
            self.table.create(conn, checkfirst=True)

    # --- writing --------------------------------------------------------------------------------------------
    def accept(self, tx: Transaction, program: Program, inputs: Sequence[Mapping[str, Any] | None],
               guids: Sequence[str], user_id: str | None) -> list[str]:
        """Rows for asynchronous interviews (Running) and the jobs that start them once *tx* commits."""
        ids = self._insert_rows(tx, program, [RUNNING] * len(guids), guids)
        now = self.store.now()
        tx.connection.execute(self.table.insert(), [
            {"id": interview_id, "flow": program.flow.api_name, "version": program.flow.version, "user_id": user_id,
             "inputs": _json(dict(values or {})), "state": None, "outputs": None, "trace": None, "updated_at": now}
            for interview_id, values in zip(ids, inputs)])
        batch = f"{program.flow.api_name.lower()}:{program.flow.version}:{user_id or ''}"
        for interview_id in ids:  # started together when they are due together (one bulkified batch)
            self.jobs.enqueue(tx, START_JOB, {"interview": interview_id}, key=interview_id, batch_key=batch)
        return ids

    def record(self, tx: Transaction, program: Program, batch: BatchResult, *, user_id: str | None,
               known: Mapping[int, str] | None = None, keep_all: bool = False) -> dict[int, str]:
        """Rows for the batch's paused and failed interviews (all of them with *keep_all*) — and, for
        interviews that already have one (*known*: asynchronous or resumed ones), their outcome whatever it
        is. Returns index → row id."""
        known = known or {}
        if not known and not tx.registry.has(FLOW_INTERVIEW):
            return {}  # a store opened without the platform's objects (an embedder's own schema) keeps none
        interviews = {iv.index: iv for iv in batch.interviews}
        new = [(index, result) for index, result in enumerate(batch.results)
               if index not in known and not result.input_error
               and (keep_all or result.status in (InterviewStatus.WAITING, InterviewStatus.ERROR))]
        ids = dict(known)
        if new:
            statuses = [row_outcome(result)["InterviewStatus"] for _, result in new]
            created = self._insert_rows(tx, program, statuses, [result.guid or "" for _, result in new])
            ids.update({index: interview_id for (index, _), interview_id in zip(new, created)})
        now = self.store.now()
        updates = []
        for index, interview_id in ids.items():
            result = batch.results[index]
            updates.append({"Id": interview_id, **row_outcome(result)})
            state = dump(interviews[index]) if result.status is InterviewStatus.WAITING else None
            trace = [entry.as_dict() for entry in result.trace or []]
            if index in known:  # a resumed or queued interview: its trace goes on from where it stopped
                earlier = self.stored(interview_id, tx.connection)
                trace = [*(earlier.trace or []), *trace] if earlier is not None else trace
            self._save_state(tx, interview_id, program, user_id=user_id, state=state, outputs=result.outputs,
                             trace=trace or None, now=now)
            if state is not None:
                self._schedule_resume(tx, interview_id, interviews[index])
        if updates:
            with tx.as_platform():
                tx.update(FLOW_INTERVIEW, updates)
        return ids

    def _insert_rows(self, tx: Transaction, program: Program, statuses: Sequence[str], guids: Sequence[str]
                     ) -> list[str]:
        flow = program.flow
        label = flow.label or flow.api_name
        rows = [{"Name": label, "Guid": guid, "InterviewLabel": label, "InterviewStatus": status,
                 "FlowVersionViewId": self._version_id(tx, program), "HasFinished": False}
                for status, guid in zip(statuses, guids)]
        with tx.as_platform():
            saved = tx.insert(FLOW_INTERVIEW, rows)
        failed = next((result for result in saved if not result.success), None)
        if failed is not None:
            raise RuntimeError(f"FlowInterview row refused: {failed.errors}")
        return [str(result.id) for result in saved]

    def _version_id(self, tx: Transaction, program: Program) -> str | None:
        """The flow version's Flow row (301…), found by its FullName once (its id never changes)."""
        key = (program.flow.api_name, program.flow.version)
        if key not in self._version_ids:
            table = tx.tables.table(FLOW)
            name = f"{program.flow.api_name}-{program.flow.version}".lower()
            self._version_ids[key] = tx.connection.execute(
                sa.select(table.c.id).where(sa.func.lower(table.c.fullname) == name)).scalar()
        return self._version_ids[key]

    def _save_state(self, tx: Transaction, interview_id: str, program: Program, *, now: dt.datetime,
                    user_id: str | None = None, inputs: dict[str, Any] | None = None,
                    state: dict[str, Any] | None = None, outputs: dict[str, Any] | None = None,
                    trace: list[dict[str, Any]] | None = None) -> None:
        table = self.table
        values = {"flow": program.flow.api_name, "version": program.flow.version, "updated_at": now,
                  "state": json.dumps(state) if state is not None else None, "outputs": _json(outputs),
                  "trace": _json(trace)}
        if inputs is not None:
            values["inputs"] = _json(inputs)
        if user_id is not None:
            values["user_id"] = user_id
        updated = tx.connection.execute(table.update().where(table.c.id == interview_id).values(**values))
        if not updated.rowcount:
            tx.connection.execute(table.insert().values(id=interview_id, **values))

    def _schedule_resume(self, tx: Transaction, interview_id: str, iv: Interview) -> None:
        due = resume_at(iv.wait or {})
        if due is not None:  # other events (platform events) resume it when they arrive
            event, when = due
            self.jobs.enqueue(tx, RESUME_JOB, {"interview": interview_id, "event": event}, run_at=when,
                              key=interview_id)

    def retry_resume(self, tx: Transaction, interview_id: str, event: str | None, attempt: int) -> bool:
        """Schedule the next retry of a failed resume; False once the retries are spent."""
        if attempt >= len(RESUME_RETRY_MINUTES):
            return False
        when = self.store.now() + dt.timedelta(minutes=RESUME_RETRY_MINUTES[attempt])
        self.jobs.enqueue(tx, RESUME_JOB, {"interview": interview_id, "event": event, "retry": attempt + 1},
                          run_at=when, key=interview_id)
        return True

    # --- reading --------------------------------------------------------------------------------------------
    def stored(self, interview_id: str, connection: sa.Connection | None = None) -> StoredInterview | None:
        """The interview's state; inside a transaction pass its *connection* (SQLite has one writer)."""
        return self.stored_many([interview_id], connection).get(interview_id)

    def stored_many(self, interview_ids: Sequence[str], connection: sa.Connection | None = None
                    ) -> dict[str, StoredInterview]:
        table = self.table
        query = sa.select(table).where(table.c.id.in_(list(interview_ids)))
        if connection is not None:
            rows = connection.execute(query).all()
        else:
            with self.store.reading() as conn:
                rows = conn.execute(query).all()
        return {row.id: self._stored(row) for row in rows}

    @staticmethod
    def _stored(row: Any) -> StoredInterview:
        def parsed(text: str | None) -> Any:
            return decode(json.loads(text)) if text else None

        state = json.loads(row.state) if row.state else None  # the serializer reads its own document
        return StoredInterview(row.id, row.flow, row.version, row.user_id, parsed(row.inputs), state,
                               parsed(row.outputs), parsed(row.trace))

    def purge(self, tx: Transaction, before: dt.datetime) -> int:
        """Delete finished and failed interviews last changed before *before* (the retention period)."""
        records = tx.tables.table(FLOW_INTERVIEW)
        ids = list(tx.connection.execute(sa.select(records.c.id).where(
            records.c.interviewstatus.in_([COMPLETED, ERROR]), records.c.lastmodifieddate < before)).scalars())
        if ids:
            with tx.as_platform():
                tx.delete(FLOW_INTERVIEW, ids, all_or_none=False)
            tx.connection.execute(self.table.delete().where(self.table.c.id.in_(ids)))
        return len(ids)


def row_outcome(result: InterviewResult) -> dict[str, Any]:
    """The FlowInterview fields an interview's outcome sets."""
    if result.status is InterviewStatus.WAITING:
        element = (result.wait or {}).get("element")
        return {"InterviewStatus": PAUSED, "CurrentElement": element, "PauseLabel": element, "HasFinished": False,
                "Error": None}
    if result.status is InterviewStatus.ERROR:
        failure = result.failure
        return {"InterviewStatus": ERROR, "CurrentElement": failure.element if failure else None,
                "Error": failure.message if failure else None, "HasFinished": True}
    if result.status is InterviewStatus.FINISHED:
        return {"InterviewStatus": COMPLETED, "CurrentElement": None, "HasFinished": True, "Error": None}
    return {"InterviewStatus": RUNNING, "HasFinished": False}


def interview_outputs(stored: StoredInterview | None) -> list[dict[str, Any]]:
    """Seed 002: `outputs` as name/value pairs."""
    values = stored.outputs if stored is not None else None
    return [{"name": name, "value": value} for name, value in (values or {}).items()]
