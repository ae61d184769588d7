"""Registered actions over REST: `GET/POST actions/standard/NAME` and `actions/custom/apex/NAME` (Python actions
stand in for Apex). Describe bodies follow the flow describe's keys; results are the flow invoke's array shape
(api-surface.md §1.3–1.4), `outputValues` null when the action has no outputs (the emailSimple sample)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.actions.registry import ActionFailure, ActionParameter, ActionResult, InvocableAction
from flowforce.api.body import json_body
from flowforce.api.errors import NotFound
from flowforce.api.flow_describe import COLLECTION_MAX_OCCURS, PARAMETER_TYPES
from flowforce.api.flow_invoke import FAULT_STATUS_CODE, parse_inputs
from flowforce.api.responses import json_response
from flowforce.api.server import server_of
from flowforce.api.session import current_session
from flowforce.api.wire_values import to_wire

EXTRA_TYPES = {"Reference": "REFERENCE", "Integer": "INTEGER", "Double": "DOUBLE", "Id": "ID"}


def registered(request: Request, *, apex: bool) -> InvocableAction:
    """The action the URL names: any non-Apex type under standard/, Apex-type ones under custom/apex/."""
    name = request.path_params["name"]
    org = server_of(request).org
    if apex:
        action = org.actions.get("apex", name)
    else:
        action = next((found for found in org.actions
                       if found.name.lower() == name.lower() and found.action_type.lower() != "apex"), None)
    if action is None:
        raise NotFound()
    return action


def parameter_body(parameter: ActionParameter, *, is_input: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "apexClass": None, "description": parameter.description, "label": parameter.label or parameter.name,
        "maxOccurs": COLLECTION_MAX_OCCURS if parameter.is_collection else 1, "name": parameter.name,
        "picklistValues": None, "sobjectType": parameter.object_type,
        "type": EXTRA_TYPES.get(parameter.data_type) or PARAMETER_TYPES.get(parameter.data_type) or "STRING",
    }
    if is_input:
        entry["byteLength"] = 0
        entry["required"] = parameter.required
    return dict(sorted(entry.items()))


def describe_body(action: InvocableAction, *, standard: bool) -> dict[str, Any]:
    return {
        "allowsTransactionControl": False, "apexClass": None if standard else action.name, "category": None,
        "configurationEditor": None, "description": action.description, "durableId": action.name,
        "iconName": None, "iconUrl": None,
        "inputs": [parameter_body(p, is_input=True) for p in action.inputs], "isStandard": standard,
        "label": action.label, "name": action.name,
        "outputs": [parameter_body(p, is_input=False) for p in action.outputs], "standard": standard,
        "targetEntityName": None, "type": action.action_type.upper(),
    }


def result_entry(result: ActionResult, action_name: str, api_version: str) -> dict[str, Any]:
    failed = isinstance(result, ActionFailure)
    errors: list[dict[str, Any]] | None = None
    outputs: dict[str, Any] | None = None
    if isinstance(result, ActionFailure):
        errors = [{"statusCode": FAULT_STATUS_CODE, "message": result.message, "fields": []}]
    elif result:
        outputs = to_wire(dict(result), api_version)
    return {"actionName": action_name, "errors": errors, "invocationId": None, "isSuccess": not failed,
            "outcome": None, "outputValues": outputs, "sortOrder": -1, "version": 1}


async def describe(request: Request, *, apex: bool) -> Response:
    return json_response(describe_body(registered(request, apex=apex), standard=not apex))


async def invoke(request: Request, *, apex: bool) -> Response:
    action = registered(request, apex=apex)
    server, session = server_of(request), current_session(request)
    inputs = parse_inputs(await json_body(request))
    results = await server.blocking(lambda: server.org.invoke_action(action, inputs, run_as=session))
    entries = [result_entry(result, action.name, request.path_params["version"]) for result in results]
    return json_response(entries, 200 if all(entry["isSuccess"] for entry in entries) else 400)


async def describe_standard(request: Request) -> Response:
    return await describe(request, apex=False)


async def invoke_standard(request: Request) -> Response:
    return await invoke(request, apex=False)


async def describe_apex(request: Request) -> Response:
    return await describe(request, apex=True)


async def invoke_apex(request: Request) -> Response:
    return await invoke(request, apex=True)
