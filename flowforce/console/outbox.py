"""The console's read port onto the outbox (emails, SMS, callouts that actions send after commit).

The outbox itself belongs to flowforce/outbox; the console only needs to list what is in it, so it depends on
this small Protocol. `OrgOutbox` reads the org's outbox; `EmptyOutbox` stands in when none is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from flowforce.outbox import Outbox

OUTBOX_KINDS = ("email", "sms", "callout", "notification")


@dataclass(frozen=True)
class OutboxItem:
    """One message or call the org sent or will send."""

    id: str
    kind: str  # one of OUTBOX_KINDS
    status: str  # pending, sent, failed, …
    recipient: str  # address, phone number or URL
    summary: str  # subject, first words of the text, or the HTTP method
    created_at: dt.datetime | None = None
    detail: str | None = None  # the delivery error or response


class OutboxReader(Protocol):
    def recent(self, *, kind: str | None = None, limit: int = 100) -> Sequence[OutboxItem]:
        """The newest items first, of one *kind* or all."""
        ...


class EmptyOutbox:
    """No outbox is wired: nothing to show."""

    def recent(self, *, kind: str | None = None, limit: int = 100) -> Sequence[OutboxItem]:
        return []


class OrgOutbox:
    """The org's outbox as the console lists it: each row's channel, status, recipient and subject."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox

    def recent(self, *, kind: str | None = None, limit: int = 100) -> Sequence[OutboxItem]:
        return [OutboxItem(str(message.id), message.channel, message.status, message.recipient,
                           message.subject or _first_words(message.payload), message.created_at, message.last_error)
                for message in self._outbox.messages(channel=kind, limit=limit)]


def _first_words(payload: dict[str, object]) -> str:
    return str(payload.get("body") or payload.get("method") or "")[:80]
