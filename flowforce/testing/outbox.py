"""What a test's org sent or would send: the outbox by channel, and HTTP callouts answered by the test.

Callouts (named-credential `httpCallout`/`externalService` actions) go out through httpx; `CalloutMocks`
intercepts them with respx from the moment the test's org opens, matches each request against the test's routes
in order (method and URL, exact or a regular expression), records the calls, and fails an unmatched request as a
refused connection — a clear fault in the flow, never a real request to the network. Requests to this machine
(localhost, 127.0.0.1, ::1: a test's own SMTP or SMS gateway) pass through unless a route matches them.
"""

from __future__ import annotations

import json as jsonlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from flowforce.outbox import Outbox, OutboxMessage


LOOPBACK = ("localhost", "127.0.0.1", "::1")


class OutboxView:
    """The org's outbox, oldest first: `emails`, `sms`, `callouts`, `notifications`, or `messages()`."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox

    def messages(self, channel: str | None = None) -> list[OutboxMessage]:
        return list(reversed(self._outbox.messages(channel=channel, limit=10_000)))

    @property
    def emails(self) -> list[OutboxMessage]:
        return self.messages("email")

    @property
    def sms(self) -> list[OutboxMessage]:
        return self.messages("sms")

    @property
    def callouts(self) -> list[OutboxMessage]:
        return self.messages("callout")

    @property
    def notifications(self) -> list[OutboxMessage]:
        return self.messages("notification")


@dataclass
class MockCallout:
    """One route: requests matching *method* and *url* get *status* with a JSON or text body."""

    method: str
    url: str | re.Pattern[str]
    status: int = 200
    json: Any = None
    text: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)

    def matches(self, request: httpx.Request) -> bool:
        if self.method.upper() not in ("*", request.method):
            return False
        target = str(request.url)
        if isinstance(self.url, re.Pattern):
            return self.url.search(target) is not None
        return target == self.url or target.split("?", 1)[0] == self.url

    def answer(self, request: httpx.Request) -> httpx.Response:
        import httpx

        body = request.content.decode() if request.content else ""
        self.calls.append({"method": request.method, "url": str(request.url), "params": dict(request.url.params),
                           "json": jsonlib.loads(body) if body.startswith(("{", "[")) else None,
                           "headers": dict(request.headers)})
        if self.json is not None:
            return httpx.Response(self.status, json=self.json)
        return httpx.Response(self.status, text=self.text)


class CalloutMocks:
    def __init__(self) -> None:
        self.routes: list[MockCallout] = []
        self.unmatched: list[str] = []
        self._router: Any = None

    def add(self, route: MockCallout) -> MockCallout:
        self.routes.append(route)
        return route

    def start(self) -> None:
        try:
            import respx
        except ImportError:  # pragma: no cover - respx comes with flowforce's test extras
            raise RuntimeError("mocking callouts needs the respx package: pip install respx") from None
        self._router = respx.MockRouter(assert_all_called=False, assert_all_mocked=True)
        self._router.route().mock(side_effect=self._dispatch)
        self._router.start()

    def _dispatch(self, request: httpx.Request) -> httpx.Response | httpx.Request:
        import httpx

        for route in self.routes:
            if route.matches(request):
                return route.answer(request)
        if request.url.host in LOOPBACK:
            return request  # respx passes a request returned by a side effect through to the network
        self.unmatched.append(f"{request.method} {request.url}")
        raise httpx.ConnectError(f"no mocked callout matches {request.method} {request.url}", request=request)

    def stop(self) -> None:
        if self._router is not None:
            self._router.stop()
            self._router = None
