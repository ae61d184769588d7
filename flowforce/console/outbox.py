"""The console's read port onto the outbox (emails, SMS, callouts that actions send after commit).

The outbox itself belongs to the actions layer (issue 12, built in parallel); the console only needs to list
what is in it, so it depends on this small Protocol. `EmptyOutbox` stands in until the real outbox is wired
(`create_app` passes nothing yet): the page then says the outbox is empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

OUTBOX_KINDS = ("email", "sms", "callout")


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
