"""What the HTTP side keeps beside the org: query cursors, API usage counts, and the threads that run blocking
work.

No flow and no store call runs on the event loop: handlers hand that work to `Server.blocking`, a bounded pool,
so a long flow never delays another request (a looping flow once stalled every request for seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.requests import Request

from flowforce.api.limits import ApiUsage
from flowforce.api.locators import QueryLocators
from flowforce.runtime import Org

T = TypeVar("T")


class Server:
    def __init__(self, org: Org) -> None:
        self.org = org
        self.settings = org.settings
        self.locators = QueryLocators()
        self.usage = ApiUsage(org.settings.daily_api_requests)
        self._limiter: CapacityLimiter | None = None

    async def blocking(self, work: Callable[..., T], *args: Any) -> T:
        """Run *work* on a worker thread (at most `settings.max_threads` at once) and await its result."""
        if self._limiter is None:  # created lazily: a limiter belongs to the running event loop
            self._limiter = CapacityLimiter(self.settings.max_threads)
        return await anyio.to_thread.run_sync(work, *args, limiter=self._limiter)


def server_of(request: Request) -> Server:
    server: Server = request.app.state.server
    return server
