"""The durable outbox: a message is a row written in the sender's transaction plus a delivery job enqueued in
the same transaction, so it exists once that transaction commits and never if it rolls back.

Delivery runs from the job queue (flowforce/jobs), in the job's own transaction: the transport is called, the
row's final status and the job's completion commit together. A transport that fails leaves the row queued with
its error and a new delivery job after a backoff; after `max_attempts` the row is `failed`. A channel without a
transport (no SMTP configured) keeps its messages `held` — readable over `/_flowforce/outbox` and
`flowforce outbox`. A worker that dies between the transport's answer and the commit sends that one message
again when the job is retried: delivery is at least once at that boundary, exactly once otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa

from flowforce.clock import Clock
from flowforce.jobs.queue import JobQueue, backoff
from flowforce.outbox.table import FAILED, HELD, LOGGED, QUEUED, SENT, outbox_table
from flowforce.records.store import RecordStore
from flowforce.records.transaction import Transaction

log = logging.getLogger("flowforce.outbox")
DELIVER_JOB = "outbox.deliver"
#: Channels kept for inspection only: notifications the org shows itself, callouts already made.
LOG_ONLY_CHANNELS = frozenset({"notification", "callout"})


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    channel: str
    status: str
    recipient: str
    subject: str | None
    payload: dict[str, Any]
    source: str | None
    attempts: int
    last_error: str | None
    record_id: str | None
    provider_id: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None


class Transport(Protocol):
    """Delivers one channel's messages (SMTP for email, an HTTP gateway for SMS)."""

    def send(self, message: OutboxMessage) -> str | None:
        """Deliver *message*; the provider's id for it, if it gives one. Raises when it was not delivered."""
        ...


def recipient_text(message: Mapping[str, Any]) -> str:
    to = message.get("to")
    return ", ".join(to) if isinstance(to, list) else str(to or "")


class Outbox:
    def __init__(self, store: RecordStore, jobs: JobQueue, clock: Clock, transports: Mapping[str, Transport], *,
                 max_attempts: int = 5) -> None:
        self.store = store
        self.jobs = jobs
        self.clock = clock
        self.transports = dict(transports)
        self.max_attempts = max_attempts
        self.table = outbox_table(sa.MetaData())
        with store.engine.begin() as conn:
            if store.dialect_name == "postgresql":  # several processes may start on one fresh database at once
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('flowforce.outbox.schema'))")
            self.table.create(conn, checkfirst=True)
        jobs.register(DELIVER_JOB, self._deliver, max_attempts=max_attempts)

    # --- writing ------------------------------------------------------------------------------------------
    def post(self, tx: Transaction, channel: str, message: Mapping[str, Any], *, status: str = QUEUED) -> int:
        """Add *message* in *tx*; a queued one gets its delivery job in the same transaction."""
        if status == QUEUED and channel in LOG_ONLY_CHANNELS:
            status = LOGGED
        row = {"channel": channel, "status": status, "recipient": recipient_text(message),
               "subject": message.get("subject"), "payload": json.dumps(dict(message), default=str),
               "source": message.get("source"), "attempts": 0, "created_at": self.clock.now()}
        inserted = tx.connection.execute(self.table.insert().values(**row)).inserted_primary_key
        assert inserted is not None
        message_id = int(inserted[0])
        if status == QUEUED:
            self.jobs.enqueue(tx, DELIVER_JOB, {"id": message_id}, key=f"outbox:{message_id}")
        return message_id

    def clear(self) -> None:
        with self.store.engine.begin() as conn:
            conn.execute(self.table.delete())

    # --- delivering ---------------------------------------------------------------------------------------
    def _deliver(self, tx: Transaction, payload: dict[str, Any]) -> None:
        table = self.table
        row = tx.connection.execute(sa.select(table).where(table.c.id == int(payload["id"]))).first()
        if row is None or row.status != QUEUED:
            return  # cleared by a reset, or already delivered
        message = to_message(row)
        transport = self.transports.get(message.channel)
        if transport is None:
            self._finish(tx, message, HELD, error=f"no {message.channel} transport is configured")
            return
        try:
            provider_id = transport.send(message)
        except Exception as error:  # the transport's failure is the message's, not the worker's
            self._failed_attempt(tx, message, f"{type(error).__name__}: {error}")
            return
        self._finish(tx, message, SENT, provider_id=provider_id)

    def _failed_attempt(self, tx: Transaction, message: OutboxMessage, error: str) -> None:
        attempts = message.attempts + 1
        log.warning("outbox message %s (%s) attempt %s failed: %s", message.id, message.channel, attempts, error)
        if attempts >= self.max_attempts:
            self._finish(tx, message, FAILED, error=error, attempts=attempts)
            return
        tx.connection.execute(self.table.update().where(self.table.c.id == message.id).values(
            attempts=attempts, last_error=error))
        self.jobs.enqueue(tx, DELIVER_JOB, {"id": message.id}, run_at=self.clock.now() + backoff(attempts),
                          key=f"outbox:{message.id}")

    def _finish(self, tx: Transaction, message: OutboxMessage, status: str, *, error: str | None = None,
                provider_id: str | None = None, attempts: int | None = None) -> None:
        record_id = self._keep_record(tx, message, status)
        tx.connection.execute(self.table.update().where(self.table.c.id == message.id).values(
            status=status, last_error=error, provider_id=provider_id, record_id=record_id,
            attempts=message.attempts + 1 if attempts is None else attempts,
            sent_at=self.clock.now() if status == SENT else None))

    def _keep_record(self, tx: Transaction, message: OutboxMessage, status: str) -> str | None:
        """An email's EmailMessage record: Sent ("3") once delivered, Draft ("5") while held."""
        if message.channel != "email" or status not in (SENT, HELD) or not tx.registry.has("EmailMessage"):
            return None
        mail = message.payload
        html = bool(mail.get("html"))
        with tx.as_platform():
            [saved] = tx.insert("EmailMessage", [{
                "Subject": (message.subject or "")[:3000], "TextBody": None if html else mail.get("body"),
                "HtmlBody": mail.get("body") if html else None, "FromAddress": mail.get("from") or None,
                "FromName": mail.get("from_name"), "ToAddress": ", ".join(mail.get("to") or [])[:4000],
                "CcAddress": ", ".join(mail.get("cc") or [])[:4000] or None,
                "BccAddress": ", ".join(mail.get("bcc") or [])[:4000] or None, "Incoming": False,
                "Status": "3" if status == SENT else "5", "MessageDate": self.clock.now(),
                "RelatedToId": mail.get("related_record_id") or None,
            }], all_or_none=False)
        return saved.id if saved.success else None

    # --- reading ------------------------------------------------------------------------------------------
    def messages(self, *, channel: str | None = None, status: str | None = None, recipient: str | None = None,
                 source: str | None = None, limit: int = 100) -> list[OutboxMessage]:
        """Newest first; *recipient* matches part of the recipient text."""
        table = self.table
        query = sa.select(table).order_by(table.c.id.desc()).limit(limit)
        for column, value in ((table.c.channel, channel), (table.c.status, status), (table.c.source, source)):
            if value is not None:
                query = query.where(column == value)
        if recipient:
            query = query.where(table.c.recipient.contains(recipient, autoescape=True))
        with self.store.reading() as conn:
            return [to_message(row) for row in conn.execute(query).all()]


def to_message(row: Any) -> OutboxMessage:
    return OutboxMessage(row.id, row.channel, row.status, row.recipient, row.subject, json.loads(row.payload),
                         row.source, row.attempts, row.last_error, row.record_id, row.provider_id, row.created_at,
                         row.sent_at)


__all__ = ["DELIVER_JOB", "FAILED", "HELD", "LOGGED", "QUEUED", "SENT", "Outbox", "OutboxMessage", "Transport"]
