"""Reading a JSON request body with Salesforce's errors: 415 for a non-JSON content type, JSON_PARSER_ERROR.

reference/api-surface.md §2: the platform's parser is Jackson, so syntax errors are worded like Jackson's
(`Unexpected character ('x' (code 120)): expected a valid value ... at [line:1, column:2]`, UNCONFIRMED).
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from flowforce.api.errors import JsonParserError, UnsupportedMediaType

_EXPECTED = "expected a valid value (number, String, array, object, 'true', 'false' or 'null')"


def check_content_type(request: Request) -> None:
    content_type = request.headers.get("content-type")
    if content_type and "json" not in content_type.lower():
        raise UnsupportedMediaType.for_type(content_type.split(";")[0].strip())


def syntax_error(raw: bytes, error: orjson.JSONDecodeError) -> JsonParserError:
    text = raw.decode("utf-8", "replace")
    where = f"[line:{error.lineno}, column:{error.colno}]"
    if error.pos >= len(text.rstrip()):
        return JsonParserError(f"Unexpected end-of-input: expected close marker at {where}")
    char = text[error.pos]
    return JsonParserError(f"Unexpected character ('{char}' (code {ord(char)})): {_EXPECTED} at {where}")


def decode_json(raw: bytes) -> Any:
    if not raw.strip():
        raise JsonParserError("No content to map due to end-of-input")
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        if "recursion" in str(error):
            raise too_deep(MAX_DEPTH + 1) from None
        raise syntax_error(raw, error) from None
    check_depth(value)
    return value


MAX_DEPTH = 100  # UNCONFIRMED: Salesforce's parser (Jackson) allows 1,000; Python's recursion needs a lower bound


def too_deep(depth: int) -> JsonParserError:
    return JsonParserError(f"Document nesting depth ({depth}) exceeds the maximum allowed ({MAX_DEPTH}, from "
                           "`StreamReadConstraints.getMaxNestingDepth()`)")


def check_depth(value: Any) -> None:
    """Refuse bodies nested deeper than MAX_DEPTH before anything walks them recursively (issue 9 item 5: JSON
    1,000 deep in a field, or 500 deep in `composite`, ended in a RecursionError and a 500)."""
    level: list[Any] = [value]
    for depth in range(1, MAX_DEPTH + 2):
        containers = [item for item in level if isinstance(item, dict | list)]
        if not containers:
            return
        if depth > MAX_DEPTH:
            raise too_deep(depth)
        level = [child for item in containers for child in (item.values() if isinstance(item, dict) else item)]


async def json_body(request: Request) -> Any:
    check_content_type(request)
    return decode_json(await request.body())


async def json_object(request: Request, expected: str = "SObject") -> dict[str, Any]:
    value = await json_body(request)
    if not isinstance(value, dict):
        raise wrong_shape(expected, value)
    return value


def wrong_shape(expected: str, value: Any) -> JsonParserError:
    """`inputs` (or another key) holds the wrong JSON type; the deserializer's wording (confirmations §2c)."""
    if isinstance(value, dict):
        token, shown = "START_OBJECT", "{"
    elif isinstance(value, list):
        token, shown = "START_ARRAY", "["
    elif isinstance(value, str):
        token, shown = "VALUE_STRING", value
    else:
        token, shown = "VALUE_NUMBER_INT" if isinstance(value, int) else "VALUE_TOKEN", orjson.dumps(value).decode()
    return JsonParserError(f"Cannot deserialize instance of {expected} from {token} value {shown} or request "
                           "may be missing a required field at [line:1, column:1]")
