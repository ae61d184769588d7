"""Invocable action routes: the action indexes, flow list/describe, and the invoke hot path.

reference/api-surface.md §1.1–1.5. Plain Starlette handlers with orjson (performance-notes.md); flows run on
the server's worker threads (`Org.run`), never on the event loop.
"""

from __future__ import annotations

import functools
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api import flow_describe
from flowforce.api.body import json_body
from flowforce.api.flow_invoke import parse_inputs, render_batch
from flowforce.api.responses import json_response
from flowforce.api.server import Server, server_of
from flowforce.api.session import Session, current_session, flow_access_error
from flowforce.metadata.model import Flow

CUSTOM_ACTION_TYPES = ("flow", "apex")


def _runnable_flow(request: Request) -> tuple[Server, Session, Flow]:
    """The flow the URL names, checked for existence and for the caller's right to run it."""
    server, session = server_of(request), current_session(request)
    flow = flow_describe.invocable_version(server.org.library, request.path_params["name"]).flow
    access = server.org.auth.can_run_flow(session, flow.api_name)
    if not access.allowed:
        raise flow_access_error(access)
    return server, session, flow


async def actions_index(request: Request) -> Response:
    version = request.path_params["version"]
    return json_response({kind: f"/services/data/v{version}/actions/{kind}" for kind in ("standard", "custom")})


async def custom_actions_index(request: Request) -> Response:
    version = request.path_params["version"]
    return json_response({kind: f"/services/data/v{version}/actions/custom/{kind}" for kind in CUSTOM_ACTION_TYPES})


def _registry_actions(server: Server, version: str, *, apex: bool) -> list[dict[str, Any]]:
    """Registered actions: Apex-style ones under custom/apex, the rest standard."""
    listed = []
    for action in server.org.actions:
        if (action.action_type.lower() == "apex") != apex:
            continue
        path = "custom/apex" if apex else "standard"
        listed.append({"label": action.label, "name": action.name, "type": action.action_type.upper(),
                       "url": f"/services/data/v{version}/actions/{path}/{action.name}"})
    return listed


async def standard_actions(request: Request) -> Response:
    return json_response({"actions": _registry_actions(server_of(request), request.path_params["version"], apex=False)})


async def apex_actions(request: Request) -> Response:
    return json_response({"actions": _registry_actions(server_of(request), request.path_params["version"], apex=True)})


async def list_flows(request: Request) -> Response:
    server, session = server_of(request), current_session(request)
    version = request.path_params["version"]
    flows = [flow for flow in flow_describe.listed_flows(server.org.library)
             if server.org.auth.can_run_flow(session, flow.api_name).allowed]
    return json_response({"actions": [flow_describe.list_entry(flow, version) for flow in flows]})


async def describe_flow(request: Request) -> Response:
    _, _, flow = _runnable_flow(request)
    return json_response(flow_describe.describe(flow))


async def invoke_flow(request: Request) -> Response:
    server, session, flow = _runnable_flow(request)
    inputs = parse_inputs(await json_body(request))
    org = server.org
    access = functools.partial(org.auth.can_access_object, session)  # the caller's object permissions
    run = await server.blocking(lambda: org.invoke(flow, inputs, run_as=session, access=access))
    entries, status = render_batch(run.batch, flow.api_name, request.path_params["version"])
    return json_response(entries, status)
