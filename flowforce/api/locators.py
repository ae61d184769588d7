"""Query cursors for `nextRecordsUrl`: what to re-read for the rest of a result, under a `01g…` locator.

reference/api-surface.md §5 and clients.md §1.5: the locator is `<18-char id starting 01g>-<offset>`, the
last path segment alone identifies the cursor, and `/query/<locator>` must work under any API version and
for queryAll cursors too. Salesforce keeps a cursor for 15 minutes of inactivity.

A cursor holds the query, not its rows: each page is read again from the store (issue 9: held results took
~40 MB per 27,000-row cursor), so a cursor costs a few hundred bytes whatever its size. Its id is random
(≈71 bits) and it answers only the session that opened it: another user's, a guessed or an expired locator
is INVALID_QUERY_LOCATOR, like Salesforce's.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock

from flowforce.auth.session import Session
from flowforce.records.ids import checksum_suffix

LOCATOR_PREFIX = "01g"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def session_key(session: Session) -> str:
    """Who may read a cursor: the user and this session (a digest: the bearer value itself is not kept)."""
    return hashlib.sha256(f"{session.user_id}\0{session.session_id}".encode()).hexdigest()


@dataclass
class Cursor:
    soql: str
    include_deleted: bool
    owner: str
    total_size: int
    batch_size: int
    touched: float = field(default_factory=time.monotonic)


def random_locator() -> str:
    id15 = LOCATOR_PREFIX + "".join(secrets.choice(_BASE62) for _ in range(12))
    return id15 + checksum_suffix(id15)


class QueryLocators:
    """An LRU of cursors with an idle timeout; thread-safe (queries run in the threadpool)."""

    def __init__(self, max_cursors: int = 1000, idle_seconds: float = 15 * 60,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_cursors = max_cursors
        self.idle_seconds = idle_seconds
        self.clock = clock
        self._cursors: OrderedDict[str, Cursor] = OrderedDict()
        self._lock = Lock()

    def open(self, session: Session, soql: str, include_deleted: bool, total_size: int, batch_size: int) -> str:
        locator = random_locator()
        cursor = Cursor(soql, include_deleted, session_key(session), total_size, batch_size, self.clock())
        with self._lock:
            self._cursors[locator] = cursor
            while len(self._cursors) > self.max_cursors:
                self._cursors.popitem(last=False)
        return locator

    def get(self, locator: str, session: Session) -> Cursor | None:
        """The session's own live cursor, else None (unknown, expired and foreign look the same)."""
        with self._lock:
            cursor = self._cursors.get(locator)
            if cursor is None:
                return None
            if self.clock() - cursor.touched > self.idle_seconds:
                del self._cursors[locator]
                return None
            if not secrets.compare_digest(cursor.owner, session_key(session)):
                return None
            cursor.touched = self.clock()
            self._cursors.move_to_end(locator)
            return cursor

    def close(self, locator: str) -> None:
        with self._lock:
            self._cursors.pop(locator, None)

    def __len__(self) -> int:
        return len(self._cursors)
