"""Pure ASGI middlewares for what every request shares: path shape, body size, API version, session, usage.

Plain ASGI (not BaseHTTPMiddleware) keeps them nearly free on the hot paths (performance-notes.md).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from flowforce.api.errors import (
    ApiDisabled,
    ApiError,
    InvalidSessionId,
    NotFound,
    RequestLimitExceeded,
    RequestTooLarge,
    UnsupportedApiVersion,
    error_response,
)
from flowforce.api.server import Server

_SLASHES = re.compile(r"//+")
ADMIN_PREFIX = "/_flowforce/"
VERSIONED = re.compile(r"^/services/data/v([^/]+)(?:/|$)")
_VERSION = re.compile(r"^(\d{2})\.0$")
API_PERMISSION = "ApiEnabled"


async def _reject(error: ApiError, scope: Scope, receive: Receive, send: Send) -> None:
    await error_response(error)(scope, receive, send)


class PathNormalizer:
    """clients.md §1.6 and addendum: accept `query/` and `query`, and collapse `//services/data/...`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if "//" in path:
                path = _SLASHES.sub("/", path)
            if len(path) > 1 and path.endswith("/"):
                path = path.rstrip("/") or "/"
            if path != scope["path"]:
                scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, receive, send)


class BodyLimit:
    """413 for bodies over the limit: by Content-Length up front, else while a chunked body streams in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _reject(RequestTooLarge.for_limit(self.max_bytes), scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise RequestTooLarge.for_limit(self.max_bytes)
            return message

        await self.app(scope, counted, send)


class ApiGate:
    """For `/services/data/vNN.0/...`: a supported version, a valid session, usage counted and reported.

    reference/api-surface.md §2: retired versions answer 410, unknown ones 404 (UNCONFIRMED bodies); every
    versioned route needs `Authorization: Bearer` (401 INVALID_SESSION_ID, a JSON array, clients.md §1.8).
    """

    def __init__(self, app: ASGIApp, server: Server) -> None:
        self.app = app
        self.server = server
        self.min_version = server.settings.min_version
        self.max_version = server.settings.max_version

    def version_error(self, text: str) -> ApiError | None:
        match = _VERSION.match(text)
        if match is None:
            return NotFound()
        number = int(match.group(1))
        if number < self.min_version:
            return UnsupportedApiVersion(f"API version {text} is no longer supported.")
        if number > self.max_version:
            return NotFound()
        return None

    async def admin(self, scope: Scope, receive: Receive, send: Send) -> None:
        """flowforce's own routes (`/_flowforce/…`: clock, outbox): a valid session; the route checks the rest."""
        session = self.session_for(scope)
        if session is None:
            await _reject(InvalidSessionId(), scope, receive, send)
            return
        scope.setdefault("state", {})["session"] = session
        await self.app(scope, receive, send)

    def session_for(self, scope: Scope) -> Any:
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() in ("bearer", "oauth") and token.strip():
                    return self.server.org.auth.authenticate(token.strip())
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = VERSIONED.match(scope["path"]) if scope["type"] == "http" else None
        if match is None:
            if scope["type"] == "http" and scope["path"].startswith(ADMIN_PREFIX):
                await self.admin(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        problem = self.version_error(match.group(1))
        session = None if problem is not None else self.session_for(scope)
        if problem is None:
            if session is None:
                problem = InvalidSessionId()
            elif API_PERMISSION not in session.permissions:
                problem = ApiDisabled()
        if problem is not None:
            await _reject(problem, scope, receive, send)
            return
        usage = self.server.usage
        usage.count_request()
        if self.server.settings.enforce_api_limit and usage.exceeded():
            await _reject(RequestLimitExceeded(), scope, receive, send)
            return
        scope.setdefault("state", {})["session"] = session

        async def with_usage(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"sforce-limit-info", usage.header().encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_usage)
