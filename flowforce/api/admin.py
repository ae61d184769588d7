"""flowforce's own routes, outside Salesforce's URL space (`/_flowforce/…`), for administrators: the org's clock,
the outbox, and a reset between tests.

`GET /_flowforce/clock` → `{"now", "frozen"}`. `POST /_flowforce/clock` with `{"advance_seconds": N}`,
`{"now": "ISO-8601"}`, `{"freeze": true}` or `{"freeze": false}`: moving the clock freezes it and runs every job
that falls due, in order, before answering (`jobsRun`).

`GET /_flowforce/outbox?channel=email|sms|notification&status=queued|sent|failed|held|logged&recipient=…&limit=N`
→ `{"messages": [...]}`, newest first. `POST /_flowforce/reset` empties the data, interviews, queued work and
outbox, and reads the project's flow files again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.body import json_object
from flowforce.api.errors import InsufficientAccess, JsonParserError
from flowforce.api.responses import json_response
from flowforce.api.server import Server, server_of
from flowforce.api.session import current_session
from flowforce.api.wire_values import format_datetime
from flowforce.auth.permissions import MODIFY_ALL_DATA
from flowforce.outbox import OutboxMessage
from flowforce.outbox.table import STATUSES
from flowforce.runtime.reset import reset_org


def admin_server(request: Request) -> Server:
    """The server, for a session with Modify All Data (403 INSUFFICIENT_ACCESS otherwise)."""
    if MODIFY_ALL_DATA not in current_session(request).permissions:
        raise InsufficientAccess("flowforce administration needs the Modify All Data permission")
    return server_of(request)


def clock_body(server: Server, ran: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"now": format_datetime(server.org.clock.now()), "frozen": server.org.clock.frozen}
    if ran is not None:
        body["jobsRun"] = ran
    return body


def parse_instant(value: Any) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise JsonParserError(f"now: not an ISO-8601 date and time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


async def clock(request: Request) -> Response:
    server = admin_server(request)
    if request.method in ("GET", "HEAD"):
        return json_response(clock_body(server))
    body = await json_object(request, "ClockRequest")
    org = server.org
    if body.get("freeze") is False:
        org.clock.unfreeze()
        return json_response(clock_body(server))
    seconds = body.get("advance_seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0):
        raise JsonParserError("advance_seconds: expected a number of seconds, zero or more")
    to = parse_instant(body["now"]) if "now" in body else None
    ran = await server.blocking(lambda: org.advance_clock(seconds=seconds, to=to))
    return json_response(clock_body(server, ran))


def message_body(message: OutboxMessage) -> dict[str, Any]:
    return {
        "id": message.id, "channel": message.channel, "status": message.status, "recipient": message.recipient,
        "subject": message.subject, "body": message.payload.get("body"), "message": message.payload,
        "source": message.source, "attempts": message.attempts, "lastError": message.last_error,
        "recordId": message.record_id, "providerId": message.provider_id,
        "createdDate": format_datetime(message.created_at),
        "sentDate": format_datetime(message.sent_at) if message.sent_at else None,
    }


def limit_param(text: str | None) -> int:
    if text is None:
        return 100
    if not text.isdigit() or not 0 < int(text) <= 2000:
        raise JsonParserError("limit: expected a whole number from 1 to 2000")
    return int(text)


async def outbox(request: Request) -> Response:
    server = admin_server(request)
    params = request.query_params
    status = params.get("status")
    if status is not None and status not in STATUSES:
        raise JsonParserError(f"status: expected one of {', '.join(STATUSES)}")
    limit = limit_param(params.get("limit"))
    found = await server.blocking(lambda: server.org.outbox.messages(
        channel=params.get("channel"), status=status, recipient=params.get("recipient"),
        source=params.get("source"), limit=limit))
    return json_response({"messages": [message_body(message) for message in found]})


async def reset(request: Request) -> Response:
    server = admin_server(request)
    counts = await server.blocking(lambda: reset_org(server.org))
    return json_response(counts)
