"""sObject REST routes: describeGlobal, basic info, describe, CRUD by id and by external id.

Thin handlers: build the `Caller`, read the body, run one `record_ops` operation in its own transaction
(on the server's worker threads), render the reply.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api import describe, flow_interviews, flow_versions, record_ops
from flowforce.api.body import json_object
from flowforce.api.record_ops import Caller, Reply
from flowforce.api.responses import json_response
from flowforce.api.server import server_of
from flowforce.api.session import current_session
from flowforce.records.transaction import Transaction
from flowforce.runtime.flow_records import FLOW, FLOW_INTERVIEW


def caller_for(request: Request) -> Caller:
    return Caller(server_of(request), current_session(request), request.path_params["version"])


def requested_fields(request: Request) -> list[str] | None:
    raw = request.query_params.get("fields")
    return [name.strip() for name in raw.split(",") if name.strip()] if raw else None


async def run_operation(caller: Caller, operation: Callable[[Transaction], Reply]) -> Response:
    reply = await caller.server.blocking(record_ops.run_in_transaction, caller, operation)
    return reply.response()


async def describe_global(request: Request) -> Response:
    caller = caller_for(request)
    auth, session = caller.org.auth, caller.session
    objects = [obj for obj in caller.org.registry.objects() if auth.can_access_object(session, obj.name, "read")]
    return json_response(describe.describe_global(objects, caller.version))


async def sobject_info(request: Request) -> Response:
    caller = caller_for(request)
    obj = caller.readable(request.path_params["sobject"])
    soql = request.query_params.get("q")
    if obj.name == FLOW and soql:  # seed 002: GET sobjects/Flow?q=SOQL answers the query
        return json_response(await caller.server.blocking(flow_versions.flow_list, caller, soql))
    return json_response(describe.basic_info(obj, caller.version))


async def sobject_describe(request: Request) -> Response:
    caller = caller_for(request)
    return json_response(describe.describe_object(caller.readable(request.path_params["sobject"]), caller.version))


async def create_record(request: Request) -> Response:
    caller, name = caller_for(request), request.path_params["sobject"]
    if name.lower() == FLOW_INTERVIEW.lower():  # seed 002: creating one starts an interview
        caller.readable(name)
        return await flow_interviews.create(request, caller)
    caller.writable(name, "POST")
    body = await json_object(request)
    return await run_operation(caller, lambda tx: record_ops.create(caller, tx, name, body))


async def record_by_id(request: Request) -> Response:
    caller, name, segment = caller_for(request), request.path_params["sobject"], request.path_params["record_id"]
    if request.method in ("GET", "HEAD"):
        fields = requested_fields(request)
        if name.lower() == FLOW_INTERVIEW.lower():
            caller.readable(name)
            return await run_operation(caller, lambda tx: flow_interviews.retrieve(caller, tx, segment, fields))
        return await run_operation(caller, lambda tx: record_ops.retrieve(caller, tx, name, segment, fields))
    if request.method == "PATCH" and name.lower() == FLOW.lower():  # seed 002: activation, description
        caller.readable(name)
        return await flow_versions.patch_flow(request, caller, segment)
    caller.writable(name, request.method)
    if request.method == "DELETE":
        return await run_operation(caller, lambda tx: record_ops.delete(caller, tx, name, segment))
    body = await json_object(request)
    return await run_operation(caller, lambda tx: record_ops.update(caller, tx, name, segment, body))


async def record_by_external_id(request: Request) -> Response:
    caller, name = caller_for(request), request.path_params["sobject"]
    field_name, value = request.path_params["field"], request.path_params["value"]
    if request.method in ("GET", "HEAD"):
        fields = requested_fields(request)
        return await run_operation(
            caller, lambda tx: record_ops.retrieve_by_external_id(caller, tx, name, field_name, value, fields))
    caller.writable(name, request.method)
    if request.method == "DELETE":
        return await run_operation(
            caller, lambda tx: record_ops.delete_by_external_id(caller, tx, name, field_name, value))
    body = await json_object(request)
    return await run_operation(caller, lambda tx: record_ops.upsert(caller, tx, name, field_name, value, body))
