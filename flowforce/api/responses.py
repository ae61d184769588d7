"""JSON responses the way Salesforce sends them.

clients.md §1.1: jsforce picks its parser from the Content-Type, so every JSON body carries
`application/json;charset=UTF-8`; a 204 has no body at all. orjson keeps the hot paths cheap
(performance-notes.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"


class JsonResponse(Response):
    media_type = JSON_CONTENT_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json_response(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> JsonResponse:
    return JsonResponse(body, status_code=status, headers=dict(headers) if headers else None)


def no_content() -> Response:
    return Response(status_code=204)


def parse_json(raw: bytes) -> Any:
    """Raises `orjson.JSONDecodeError` (a ValueError) on malformed text."""
    return orjson.loads(raw)
