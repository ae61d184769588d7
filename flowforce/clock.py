"""The one clock every "now" of an org reads: flows (`$Flow.CurrentDateTime`, `NOW()`, `TODAY()`), audit
fields (`CreatedDate`, `LastModifiedDate`), SOQL date literals and, later, waits and schedules.

A plain module with no flowforce imports, so the store, the engine and the runtime can all depend on it.
Authentication deliberately keeps real time: a test that moves the org's clock days ahead must not expire
the session it is using.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current instant, timezone-aware UTC, at Salesforce's millisecond precision."""
        ...


def to_millis(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


class SystemClock:
    """Real time."""

    def now(self) -> dt.datetime:
        return to_millis(dt.datetime.now(dt.UTC))


SYSTEM_CLOCK = SystemClock()


class ControllableClock:
    """Real time until frozen; a frozen clock moves only when advanced or set (tests, demos, waits).

    Reads are lock-free (one attribute read); the offset design keeps `advance` meaningful whether the
    clock is frozen or running.
    """

    def __init__(self, frozen_at: dt.datetime | None = None) -> None:
        self._frozen: dt.datetime | None = to_millis(frozen_at) if frozen_at is not None else None
        self._offset = dt.timedelta(0)

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def now(self) -> dt.datetime:
        frozen = self._frozen
        if frozen is not None:
            return frozen
        return to_millis(dt.datetime.now(dt.UTC) + self._offset)

    def freeze(self, at: dt.datetime | None = None) -> dt.datetime:
        self._frozen = to_millis(at if at is not None else self.now())
        return self._frozen

    def set(self, at: dt.datetime) -> dt.datetime:
        """Jump to *at*: frozen clocks stay frozen there, running ones keep running from there."""
        at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
        if self._frozen is not None:
            self._frozen = to_millis(at)
        else:
            self._offset = at - dt.datetime.now(dt.UTC)
        return self.now()

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        return self.set(self.now() + delta)

    def unfreeze(self) -> None:
        if self._frozen is not None:
            self._offset = self._frozen - dt.datetime.now(dt.UTC)
            self._frozen = None
