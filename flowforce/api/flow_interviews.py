"""Seed 002's interviews as records: `POST sobjects/FlowInterview` starts one, `GET …/{id}` shows its state with
`outputs` as name/value pairs. Describe, SOQL and `DELETE` are the ordinary sObject routes over FlowInterview."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api import record_ops
from flowforce.api.body import json_object, wrong_shape
from flowforce.api.errors import RecordApiError
from flowforce.api.flow_describe import invocable_version
from flowforce.api.flow_invoke import fault_message
from flowforce.api.record_ops import Caller, Reply
from flowforce.api.session import flow_access_error
from flowforce.api.wire_values import to_wire
from flowforce.records.ids import normalize_id
from flowforce.records.transaction import Transaction
from flowforce.runtime.flow_records import FLOW_INTERVIEW
from flowforce.runtime.interviews import interview_outputs
from flowforce.runtime.lifecycle import create_interview


def start_request(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The flow's API name and the inputs of a `FlowInterviewInput` body (seed 002)."""
    definition = body.get("FlowDefinitionView")
    name = definition.get("ApiName") if isinstance(definition, dict) else None
    if not isinstance(name, str) or not name:
        raise RecordApiError("REQUIRED_FIELD_MISSING", "Required fields are missing: [FlowDefinitionView.ApiName]",
                             ["FlowDefinitionView"])
    items = body.get("inputs", [])
    if not isinstance(items, list):
        raise wrong_shape("List<FlowInputVariable>", items)
    inputs: dict[str, Any] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise wrong_shape("FlowInputVariable", item)
        inputs[item["name"]] = item.get("value")
    return name, inputs


async def create(request: Request, caller: Caller) -> Response:
    name, inputs = start_request(await json_object(request, "FlowInterviewInput"))
    org = caller.org
    flow = invocable_version(org.library, name).flow
    access = org.auth.can_run_flow(caller.session, flow.api_name)
    if not access.allowed:
        raise flow_access_error(access)
    run = await caller.server.blocking(lambda: create_interview(org, flow.api_name, inputs, caller.session))
    [result] = run.batch.results
    if 0 not in run.interview_ids:  # the interview never started: its inputs were refused
        message = result.failure.message if result.failure else fault_message(result)
        raise RecordApiError("INVALID_INPUT", message)
    interview_id = run.interview_ids[0]
    return Reply(201, {"id": interview_id, "success": True, "errors": []},
                 {"Location": caller.sobject_url(FLOW_INTERVIEW, interview_id)}).response()


def retrieve(caller: Caller, tx: Transaction, segment: str, fields: list[str] | None) -> Reply:
    """The record as any sObject GET shows it, plus seed 002's `outputs`."""
    reply = record_ops.retrieve(caller, tx, FLOW_INTERVIEW, segment, fields)
    body = dict(reply.body)
    stored = caller.org.interviews.stored(normalize_id(segment))
    body["outputs"] = [{"name": pair["name"], "value": to_wire(pair["value"], caller.version)}
                       for pair in interview_outputs(stored)]
    return Reply(200, body)
