"""Outboxes: what flows send (email, SMS, notifications, callouts), kept in the store's database and delivered
from the job queue after the transaction that wrote them commits."""

from flowforce.outbox.outbox import DELIVER_JOB, Outbox, OutboxMessage, Transport

__all__ = ["DELIVER_JOB", "Outbox", "OutboxMessage", "Transport"]
