"""A worker: threads that run due jobs until stopped — embedded in `flowforce serve`, or alone in
`flowforce worker` beside other servers and workers on one PostgreSQL database."""

from __future__ import annotations

import logging
import threading

from flowforce.jobs.queue import JobQueue

log = logging.getLogger("flowforce.jobs")
MIN_IDLE_SECONDS = 0.02


class Worker:
    """*poll_seconds* bounds how long a job enqueued by another process waits to be seen (a job enqueued in
    this process wakes the worker at once)."""

    def __init__(self, queue: JobQueue, *, threads: int = 1, poll_seconds: float = 0.5) -> None:
        self.queue = queue
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, name=f"flowforce-worker-{n}", daemon=True)
                         for n in range(threads)]

    def start(self) -> Worker:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self.queue.wake()
        for thread in self._threads:
            thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                if self.queue.run_one():
                    continue
                self.queue.wait(self._idle_seconds())
            except Exception:  # the database went away for a moment: keep serving once it is back
                log.exception("worker loop")
                self._stop.wait(self.poll_seconds)

    def _idle_seconds(self) -> float:
        """Until the next job falls due, at most the poll interval; never a busy loop (a due job another
        worker holds locked is skipped, and a frozen clock does not move by itself)."""
        due = self.queue.next_due()
        if due is None:
            return self.poll_seconds
        return min(max((due - self.queue.clock.now()).total_seconds(), MIN_IDLE_SECONDS), self.poll_seconds)
