"""Login throttling: Salesforce's lockout per user and per client app, and a brake on bursts from one address.

Issue 9 item 7: 200 wrong passwords, client secrets or SOAP logins in a row left the right one working and never
slowed anyone. Now, like Salesforce's default password policy, `max_failures` consecutive failures lock the
username (or consumer key) for `lockout_seconds`: every login answers the usual failure, the right password
included ("Invalid username, password, security token; or user locked out."). A success resets the count. An
address with `burst_failures` failed logins within `burst_seconds` is told to wait (429 with Retry-After).

Counters live in the process (a restart forgets them; several server processes count apart — UNCONFIRMED
whether that matters for a self-hosted org, documented rather than shared through the store).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock


@dataclass(frozen=True)
class ThrottleLimits:
    #: Salesforce's default "Maximum invalid login attempts" and "Lockout effective period".
    max_failures: int = 10
    lockout_seconds: float = 15 * 60
    #: Failed logins one address may make within `burst_seconds` before it is answered 429.
    burst_failures: int = 30
    burst_seconds: float = 60


@dataclass
class _Account:
    failures: int = 0
    locked_until: float = 0.0


class LoginThrottle:
    """Thread-safe counters keyed by `user:<name>`, `client:<id>` and addresses."""

    def __init__(self, limits: ThrottleLimits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or ThrottleLimits()
        self.clock = clock
        self._accounts: dict[str, _Account] = {}
        self._bursts: dict[str, deque[float]] = {}
        self._lock = Lock()

    # --- lockout of one account ---------------------------------------------------------------------------
    def locked(self, key: str) -> bool:
        with self._lock:
            account = self._accounts.get(key)
            return account is not None and account.locked_until > self.clock()

    def record(self, key: str, ok: bool) -> None:
        """Count a login's outcome; the `max_failures`-th failure in a row starts a lockout."""
        with self._lock:
            if ok:
                self._accounts.pop(key, None)
                return
            account = self._accounts.setdefault(key, _Account())
            account.failures += 1
            if account.failures >= self.limits.max_failures:
                account.failures = 0
                account.locked_until = self.clock() + self.limits.lockout_seconds

    # --- bursts from one address ----------------------------------------------------------------------------
    def note_failure(self, address: str) -> None:
        with self._lock:
            window = self._bursts.setdefault(address, deque())
            window.append(self.clock())
            self._trim(window)

    def retry_after(self, address: str) -> int:
        """Seconds the address must wait before its next login attempt (0: go ahead)."""
        with self._lock:
            window = self._bursts.get(address)
            if not window:
                return 0
            self._trim(window)
            if len(window) < self.limits.burst_failures:
                return 0
            return max(1, math.ceil(window[0] + self.limits.burst_seconds - self.clock()))

    def _trim(self, window: deque[float]) -> None:
        horizon = self.clock() - self.limits.burst_seconds
        while window and window[0] <= horizon:
            window.popleft()
