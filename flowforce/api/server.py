"""What the HTTP side keeps beside the org: query cursors, API usage counts, and the threads that run blocking
work.

No flow and no store call runs on the event loop: handlers hand that work to `Server.blocking`, a bounded pool,
so a long flow never delays another request (a looping flow once stalled every request for seconds).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

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
        # A plain executor: the hop costs a quarter of anyio's to_thread, and it is on every invoke's path.
        self._threads = ThreadPoolExecutor(org.settings.max_threads, thread_name_prefix="flowforce")

    async def blocking(self, work: Callable[..., T], *args: Any) -> T:
        """Run *work* on a worker thread (at most `settings.max_threads` at once) and await its result."""
        call = functools.partial(work, *args) if args else work
        return await asyncio.get_running_loop().run_in_executor(self._threads, call)

    def close(self) -> None:
        self._threads.shutdown(wait=True)


def server_of(request: Request) -> Server:
    server: Server = request.app.state.server
    return server
