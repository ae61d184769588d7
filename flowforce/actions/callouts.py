"""HTTP callouts and External Services (`actionType=httpCallout` or `externalService`, `actionName=
<Credential>.<operation>`) through named credentials declared in flowforce.toml::

    [named_credentials.Weather]
    url = "https://api.weather.example/v1"
    headers = { "X-Api-Key" = "…" }       # sent with every call (credentials stay out of flows)
    timeout = 5                             # seconds

    [named_credentials.Weather.operations.getForecast]
    method = "GET"
    path = "/forecast/{city}"               # {input} placeholders; other inputs go in the query (GET/DELETE)
                                            # or the JSON body (POST/PUT/PATCH)
    mock = { status = 200, body = { temperature = 21 } }   # mock mode: answer this, make no request

The reply becomes outputs: `responseCode`, `responseBody` (the text), and each key of a JSON object body. A
status of 400 or more faults the request with the status and the start of the body. Every call is kept in the
outbox (channel `callout`, status `logged`) with its status, as an effect: a rolled-back call leaves no entry.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any

import httpx

from flowforce.actions.base import Action, ActionError, each_request
from flowforce.actions.messages import post
from flowforce.actions.registry import ActionRegistry, ActionResult
from flowforce.engine.action_context import ActionContext
from flowforce.settings import SetupError

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")
BODY_METHODS = ("POST", "PUT", "PATCH")
CALLOUT_TYPES = ("httpCallout", "externalService")


class CalloutConfigError(SetupError):
    """A [named_credentials] table flowforce.toml cannot mean (said at start-up)."""


def operation_of(credentials: Mapping[str, Any], name: str) -> tuple[str, Mapping[str, Any],
                                                                       Mapping[str, Any]] | None:
    credential_name, _, operation_name = name.partition(".")
    folded = {key.lower(): (key, value) for key, value in credentials.items()}
    found = folded.get(credential_name.lower())
    if found is None or not operation_name:
        return None
    credential = found[1]
    operations = {key.lower(): value for key, value in (credential.get("operations") or {}).items()}
    operation = operations.get(operation_name.lower())
    if operation is None:
        return None
    if not credential.get("url") and not operation.get("mock"):
        raise CalloutConfigError(f"[named_credentials.{found[0]}] needs a url")
    return found[0], credential, operation


def request_parts(operation: Mapping[str, Any], request: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The path with its placeholders filled, and the inputs left for the query or the body."""
    rest = {key: value for key, value in request.items() if value is not None}
    folded = {key.lower(): key for key in rest}

    def fill(match: re.Match[str]) -> str:
        key = folded.get(match[1].lower())
        if key is None:
            raise ActionError(f"Missing required input parameter: {match[1]}")
        return str(rest.pop(key))

    return PLACEHOLDER.sub(fill, str(operation.get("path") or "")), rest


def call(credential: Mapping[str, Any], operation: Mapping[str, Any], method: str, path: str,
         rest: dict[str, Any]) -> tuple[int, str]:
    mock = operation.get("mock")
    if mock is not None:
        body = mock.get("body", "")
        return int(mock.get("status", 200)), body if isinstance(body, str) else json.dumps(body)
    sent: dict[str, Any] = {"json": rest} if method in BODY_METHODS else {"params": rest}
    try:
        response = httpx.request(method, str(credential["url"]).rstrip("/") + path,
                                 headers=dict(credential.get("headers") or {}),
                                 timeout=float(operation.get("timeout") or credential.get("timeout") or 10), **sent)
    except httpx.HTTPError as error:
        raise ActionError(f"The callout failed: {type(error).__name__}: {error}") from None
    return response.status_code, response.text


def outputs_of(status: int, text: str) -> dict[str, Any]:
    outputs: dict[str, Any] = {"responseCode": status, "responseBody": text}
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        outputs.update(parsed)
    return outputs


def callout_action(action_type: str, credentials: Mapping[str, Any], name: str) -> Action | None:
    found = operation_of(credentials, name)
    if found is None:
        return None
    credential_name, credential, operation = found
    method = str(operation.get("method") or "GET").upper()

    def run(position: int, request: Mapping[str, Any], context: ActionContext) -> ActionResult:
        path, rest = request_parts(operation, request)
        status, text = call(credential, operation, method, path, rest)
        context.effect(position, post("callout", {
            "to": f"{method} {credential_name}{path}", "subject": f"{status}", "body": text[:2000],
            "request": rest, "mock": operation.get("mock") is not None, "source": name}))
        if status >= 400:
            raise ActionError(f"The callout {name} answered {status}: {text[:300]}")
        return outputs_of(status, text)

    return Action(action_type, name, name, each_request(run),
                  description=f"{method} {credential_name}{operation.get('path') or ''} (named credential)")


def register_callouts(registry: ActionRegistry, credentials: Mapping[str, Any]) -> None:
    for action_type in CALLOUT_TYPES:
        registry.register_type(action_type, functools.partial(callout_action, action_type, credentials),
                               explain=functools.partial(unconfigured, action_type))


def unconfigured(action_type: str, name: str) -> str:
    credential, _, operation = name.partition(".")
    return (f"The {action_type} action {name} isn't configured: declare "
            f"[named_credentials.{credential}.operations.{operation or 'NAME'}] in flowforce.toml.")
