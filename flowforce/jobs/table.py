"""The jobs table: one row per job, in the same database as the records, so a job is enqueued in the same
transaction as the changes that asked for it (a rollback takes it away)."""

from __future__ import annotations

import sqlalchemy as sa

from flowforce.records.column_types import UtcDateTime

QUEUED, DONE, DEAD = "queued", "done", "dead"


def jobs_table(metadata: sa.MetaData) -> sa.Table:
    table = sa.Table(
        "ff_jobs", metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("run_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, default=QUEUED),
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        sa.Column("max_attempts", sa.Integer, nullable=False, default=5),
        sa.Column("last_error", sa.Text),
        #: Names the thing the job is about (an interview id), so it can be found and cancelled.
        sa.Column("key", sa.String(255)),
        #: Jobs of one kind with the same batch key may run together, in one transaction (interviews of one flow
        #: version started by one user run as one bulkified batch, as Salesforce batches resumed interviews).
        sa.Column("batch_key", sa.String(255)),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        #: When the last attempt began (committed with its outcome): queue latency is started_at - created_at.
        sa.Column("started_at", UtcDateTime()),
        sa.Column("finished_at", UtcDateTime()),
    )
    sa.Index("ff_jobs_due", table.c.status, table.c.run_at, table.c.id)
    sa.Index("ff_jobs_key", table.c.key)
    return table
