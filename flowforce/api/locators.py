"""Query cursors for `nextRecordsUrl`: the rest of a result, kept for a while under a `01g…` locator.

reference/api-surface.md §5 and clients.md §1.5: the locator is `<18-char id starting 01g>-<offset>`, the
last path segment alone identifies the cursor, and `/query/<locator>` must work under any API version and
for queryAll cursors too. Salesforce keeps a cursor for 15 minutes of inactivity.
"""

from __future__ import annotations

import itertools
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from flowforce.records.ids import checksum_suffix

LOCATOR_PREFIX = "01g"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass
class Cursor:
    records: list[Any]
    total_size: int
    batch_size: int
    touched: float = field(default_factory=time.monotonic)


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    return "".join(reversed(digits))


class QueryLocators:
    """An LRU of cursors with an idle timeout; thread-safe (queries run in the threadpool)."""

    def __init__(self, max_cursors: int = 1000, idle_seconds: float = 15 * 60,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_cursors = max_cursors
        self.idle_seconds = idle_seconds
        self.clock = clock
        self._cursors: OrderedDict[str, Cursor] = OrderedDict()
        self._counter = itertools.count(1)
        self._lock = Lock()

    def open(self, records: list[Any], total_size: int, batch_size: int) -> str:
        id15 = LOCATOR_PREFIX + "5f" + _base62(next(self._counter), 10)
        locator = id15 + checksum_suffix(id15)
        with self._lock:
            self._cursors[locator] = Cursor(records, total_size, batch_size, self.clock())
            while len(self._cursors) > self.max_cursors:
                self._cursors.popitem(last=False)
        return locator

    def get(self, locator: str) -> Cursor | None:
        with self._lock:
            cursor = self._cursors.get(locator)
            if cursor is None:
                return None
            if self.clock() - cursor.touched > self.idle_seconds:
                del self._cursors[locator]
                return None
            cursor.touched = self.clock()
            self._cursors.move_to_end(locator)
            return cursor

    def close(self, locator: str) -> None:
        with self._lock:
            self._cursors.pop(locator, None)
