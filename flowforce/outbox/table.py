"""The outbox table: one row per outgoing message, written in the transaction of the flow that sent it."""

from __future__ import annotations

import sqlalchemy as sa

from flowforce.records.column_types import UtcDateTime

#: queued: waiting for delivery; sent: the transport accepted it; failed: every attempt failed;
#: held: no transport is configured for its channel, so it stays here to be read (tests, dev servers);
#: logged: kept for inspection only (callouts already made, notifications shown in the org).
QUEUED, SENT, FAILED, HELD, LOGGED = "queued", "sent", "failed", "held", "logged"
STATUSES = (QUEUED, SENT, FAILED, HELD, LOGGED)


def outbox_table(metadata: sa.MetaData) -> sa.Table:
    table = sa.Table(
        "ff_outbox", metadata,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        #: Who it goes to, as text (comma-separated addresses, a phone number, a URL), for filters and lists.
        sa.Column("recipient", sa.Text, nullable=False, default=""),
        sa.Column("subject", sa.Text),
        #: The whole message as the transport needs it (JSON).
        sa.Column("payload", sa.Text, nullable=False),
        #: The action that sent it (emailSimple, sendSmsMessage, Account.Alert_Name…).
        sa.Column("source", sa.String(255)),
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        sa.Column("last_error", sa.Text),
        #: The record kept for it (the EmailMessage of an email).
        sa.Column("record_id", sa.String(18)),
        #: The id the transport gave it (the SMTP Message-ID, the gateway's message id).
        sa.Column("provider_id", sa.String(255)),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime()),
    )
    sa.Index("ff_outbox_channel_status", table.c.channel, table.c.status, table.c.id)
    return table
