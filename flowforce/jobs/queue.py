"""Claim, run, retry with backoff, dead-letter — each job exactly once.

A job runs inside one database transaction together with the row that says it is done: the claim (a row lock
on PostgreSQL, `FOR UPDATE SKIP LOCKED`; the single writer on SQLite), the handler's work and the completion
mark commit together or not at all. A worker killed mid-job leaves nothing behind — its transaction rolls back,
the job is still queued, and the next worker claims it. A handler that raises is rolled back to a savepoint
and the job is rescheduled with backoff in the same transaction; after `max_attempts` it is dead, with its
error kept. "Due" is read from the org's clock, so a frozen clock holds future jobs until it is advanced.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from flowforce.clock import Clock
from flowforce.jobs.table import DEAD, DONE, QUEUED, jobs_table
from flowforce.records.limits import GovernorLimits
from flowforce.records.store import RecordStore
from flowforce.records.transaction import Transaction

log = logging.getLogger("flowforce.jobs")

#: Runs one job's work inside the job's transaction; raising reschedules the job.
Handler = Callable[[Transaction, dict[str, Any]], None]
#: Runs several jobs' work together in one transaction; raising reschedules all of them.
BatchHandler = Callable[[Transaction, list[dict[str, Any]]], None]


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    payload: dict[str, Any]
    run_at: dt.datetime
    status: str
    attempts: int
    last_error: str | None
    key: str | None


@dataclass(frozen=True)
class QueuedJob:
    """One job to add with `JobQueue.enqueue_many`."""

    payload: dict[str, Any]
    run_at: dt.datetime | None = None
    key: str | None = None
    batch_key: str | None = None


def backoff(attempt: int) -> dt.timedelta:
    """10 s, 20 s, 40 s … capped at an hour."""
    return dt.timedelta(seconds=min(10 * 2 ** max(attempt - 1, 0), 3600))


class JobQueue:
    def __init__(self, store: RecordStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self.table = jobs_table(sa.MetaData())
        self._handlers: dict[str, tuple[BatchHandler, int]] = {}
        self._batch_sizes: dict[str, int] = {}
        self._wake = threading.Event()
        self._skip_locked = store.dialect_name == "postgresql"
        with store.engine.begin() as conn:
            if self._skip_locked:  # several processes may start on one fresh database at once
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('flowforce.jobs.schema'))")
            self.table.create(conn, checkfirst=True)

    # --- registering and enqueueing ---------------------------------------------------------------------
    def register(self, kind: str, handler: Handler, *, max_attempts: int = 5) -> None:
        def one_at_a_time(tx: Transaction, payloads: list[dict[str, Any]]) -> None:
            for payload in payloads:
                handler(tx, payload)

        self._handlers[kind] = (one_at_a_time, max_attempts)

    def register_batch(self, kind: str, handler: BatchHandler, *, batch_size: int = 200,
                       max_attempts: int = 5) -> None:
        """Jobs of *kind* enqueued with the same `batch_key` are claimed up to *batch_size* at a time."""
        self._handlers[kind] = (handler, max_attempts)
        self._batch_sizes[kind] = batch_size

    def enqueue(self, tx: Transaction, kind: str, payload: dict[str, Any], *, run_at: dt.datetime | None = None,
                key: str | None = None, batch_key: str | None = None) -> int:
        """Add a job in *tx*: it exists once *tx* commits, and never if it rolls back."""
        handler = self._handlers.get(kind)
        now = self.clock.now()
        row = {"kind": kind, "payload": json.dumps(payload), "run_at": run_at or now, "status": QUEUED,
               "attempts": 0, "max_attempts": handler[1] if handler else 5, "key": key, "batch_key": batch_key,
               "created_at": now}
        inserted = tx.connection.execute(self.table.insert().values(**row)).inserted_primary_key
        assert inserted is not None
        job_id = int(inserted[0])
        tx.after_commit(self._wake.set)
        return job_id

    def enqueue_many(self, tx: Transaction, kind: str, jobs: list[QueuedJob]) -> None:
        """Add many jobs of one kind in *tx* with one statement (a DML of 200 records queueing their paths)."""
        if not jobs:
            return
        handler = self._handlers.get(kind)
        now = self.clock.now()
        rows = [{"kind": kind, "payload": json.dumps(job.payload), "run_at": job.run_at or now, "status": QUEUED,
                 "attempts": 0, "max_attempts": handler[1] if handler else 5, "key": job.key,
                 "batch_key": job.batch_key, "created_at": now} for job in jobs]
        tx.connection.execute(self.table.insert(), rows)
        tx.after_commit(self._wake.set)

    def cancel(self, tx: Transaction, key: str) -> int:
        """Drop the queued jobs about *key* (a deleted interview's resume, say); returns how many."""
        table = self.table
        result = tx.connection.execute(table.delete().where(table.c.key == key, table.c.status == QUEUED))
        return int(result.rowcount or 0)

    # --- running ----------------------------------------------------------------------------------------
    def run_one(self) -> int:
        """Claim and run the next due job (with the due jobs that may run beside it); how many ran."""
        table = self.table
        with self.store.transaction(limits=GovernorLimits(), system=True) as tx:
            now = self.clock.now()
            due = (table.c.status == QUEUED) & (table.c.run_at <= now)
            row = tx.connection.execute(self._locked(
                sa.select(table).where(due).order_by(table.c.run_at, table.c.id).limit(1))).first()
            if row is None:
                return 0
            rows = [row]
            size = self._batch_sizes.get(row.kind, 1)
            if size > 1 and row.batch_key is not None:
                rows += tx.connection.execute(self._locked(
                    sa.select(table).where(due, table.c.kind == row.kind, table.c.batch_key == row.batch_key,
                                           table.c.id != row.id)
                    .order_by(table.c.run_at, table.c.id).limit(size - 1))).all()
            self._run(tx, rows)
        return len(rows)

    def _locked(self, query: sa.Select[Any]) -> sa.Select[Any]:
        """On PostgreSQL a claimed row stays locked until its job commits; other workers skip it."""
        return query.with_for_update(skip_locked=True) if self._skip_locked else query

    def _run(self, tx: Transaction, rows: list[Any]) -> None:
        table = self.table
        started = self.clock.now()
        kind = rows[0].kind
        handler = self._handlers.get(kind)
        ids = [row.id for row in rows]
        marker = tx.savepoint()
        try:
            if handler is None:
                raise LookupError(f"no handler for jobs of kind {kind!r}")
            handler[0](tx, [json.loads(row.payload) for row in rows])
        except Exception as error:
            marker.rollback()
            message = "".join(traceback.format_exception_only(type(error), error)).strip()
            log.warning("job(s) %s (%s) failed: %s", ids, kind, message)
            for row in rows:
                attempts = row.attempts + 1
                dead = attempts >= row.max_attempts
                tx.connection.execute(table.update().where(table.c.id == row.id).values(
                    attempts=attempts, last_error=message, status=DEAD if dead else QUEUED, started_at=started,
                    run_at=row.run_at if dead else self.clock.now() + backoff(attempts),
                    finished_at=self.clock.now() if dead else None))
            return
        marker.release()
        tx.connection.execute(table.update().where(table.c.id.in_(ids)).values(
            status=DONE, attempts=table.c.attempts + 1, started_at=started, finished_at=self.clock.now()))

    def run_due(self, limit: int | None = None) -> int:
        """Run every job due now, in order (what advancing the clock does before it answers)."""
        ran = 0
        while limit is None or ran < limit:
            count = self.run_one()
            if not count:
                return ran
            ran += count
        return ran

    # --- waiting ----------------------------------------------------------------------------------------
    def next_due(self) -> dt.datetime | None:
        table = self.table
        with self.store.reading() as conn:
            return conn.execute(sa.select(sa.func.min(table.c.run_at)).where(table.c.status == QUEUED)).scalar()

    def wait(self, timeout: float) -> None:
        """Sleep until a job is enqueued in this process or *timeout* seconds pass."""
        self._wake.wait(timeout)
        self._wake.clear()

    def wake(self) -> None:
        self._wake.set()

    # --- inspecting -------------------------------------------------------------------------------------
    def jobs(self, *, status: str | None = None, kind: str | None = None, key: str | None = None,
             limit: int = 100) -> list[Job]:
        table = self.table
        query = sa.select(table).order_by(table.c.id.desc()).limit(limit)
        for column, value in ((table.c.status, status), (table.c.kind, kind), (table.c.key, key)):
            if value is not None:
                query = query.where(column == value)
        with self.store.reading() as conn:
            rows = conn.execute(query).all()
        return [Job(row.id, row.kind, json.loads(row.payload), row.run_at, row.status, row.attempts,
                    row.last_error, row.key) for row in rows]
