"""Invocable action routes: the action indexes, flow list/describe, and the invoke hot path.

reference/api-surface.md §1.1–1.5. Plain Starlette handlers with orjson (performance-notes.md); the engine
runs in the threadpool so the event loop keeps serving.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from flowforce.api import flow_describe
from flowforce.api.body import json_body
from flowforce.api.flow_invoke import needs_store, parse_inputs, render_batch, run_flow
from flowforce.api.responses import json_response
from flowforce.api.services import Services
from flowforce.api.session import Session, current_session, flow_access_error
from flowforce.metadata.model import Flow

CUSTOM_ACTION_TYPES = ("flow", "apex")


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _runnable_flow(request: Request) -> tuple[Services, Session, Flow]:
    """The flow the URL names, checked for existence and for the caller's right to run it."""
    services, session = _services(request), current_session(request)
    flow = flow_describe.invocable_version(services.library, request.path_params["name"]).flow
    access = services.auth.can_run_flow(session, flow.api_name)
    if not access.allowed:
        raise flow_access_error(access)
    return services, session, flow


async def actions_index(request: Request) -> Response:
    version = request.path_params["version"]
    return json_response({kind: f"/services/data/v{version}/actions/{kind}" for kind in ("standard", "custom")})


async def custom_actions_index(request: Request) -> Response:
    version = request.path_params["version"]
    return json_response({kind: f"/services/data/v{version}/actions/custom/{kind}" for kind in CUSTOM_ACTION_TYPES})


def _registry_actions(services: Services, version: str, *, apex: bool) -> list[dict[str, Any]]:
    """Actions registered by the actions issue: Apex-style ones under custom/apex, the rest standard."""
    listed = []
    # ActionRegistry has no public "all actions" view yet (the actions issue owns it).
    for (kind, _), action in sorted(services.actions._actions.items()):
        if (kind == "apex") != apex:
            continue
        path = "custom/apex" if apex else "standard"
        listed.append({"label": action.label, "name": action.name, "type": action.action_type.upper(),
                       "url": f"/services/data/v{version}/actions/{path}/{action.name}"})
    return listed


async def standard_actions(request: Request) -> Response:
    return json_response({"actions": _registry_actions(_services(request), request.path_params["version"], apex=False)})


async def apex_actions(request: Request) -> Response:
    return json_response({"actions": _registry_actions(_services(request), request.path_params["version"], apex=True)})


async def list_flows(request: Request) -> Response:
    services, session = _services(request), current_session(request)
    version = request.path_params["version"]
    flows = [flow for flow in flow_describe.listed_flows(services.library)
             if services.auth.can_run_flow(session, flow.api_name).allowed]
    return json_response({"actions": [flow_describe.list_entry(flow, version) for flow in flows]})


async def describe_flow(request: Request) -> Response:
    _, _, flow = _runnable_flow(request)
    return json_response(flow_describe.describe(flow))


async def invoke_flow(request: Request) -> Response:
    services, session, flow = _runnable_flow(request)
    inputs = parse_inputs(await json_body(request))
    if needs_store(services, flow):
        batch = await run_in_threadpool(run_flow, services, session, flow, inputs)
    else:  # pure logic runs in microseconds: a thread hop would cost more than the flow (bench/api.py)
        batch = run_flow(services, session, flow, inputs)
    entries, status = render_batch(batch, flow.api_name, request.path_params["version"])
    return json_response(entries, status)
