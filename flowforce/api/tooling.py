"""The Tooling API's flow part (`/services/data/vNN.0/tooling/…`): SOQL over Flow and FlowDefinition, their
describe and records, and activation by PATCHing `FlowDefinition.Metadata.activeVersionNumber`
(reference/api-surface.md §8).

The objects are the same records as the REST API's; only the URL space differs, so responses are the REST ones
with `…/tooling/sobjects/…` and `…/tooling/query/…` links. `Metadata` (the flow as JSON) is not served.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from flowforce.api import describe, flow_versions, query, record_ops
from flowforce.api.errors import InvalidType, MalformedQuery, NotFound
from flowforce.api.responses import json_response
from flowforce.api.sobjects import caller_for, requested_fields, run_operation
from flowforce.runtime.flow_records import FLOW, FLOW_DEFINITION
from flowforce.soql.errors import unsupported_type

TOOLING_OBJECTS = (FLOW, FLOW_DEFINITION)


def tooling_links(value: Any, version: str) -> Any:
    """REST links → Tooling links, everywhere in a body."""
    rest, tooling = f"/services/data/v{version}/", f"/services/data/v{version}/tooling/"
    if isinstance(value, dict):
        return {key: (item.replace(rest, tooling, 1) if key in ("url", "nextRecordsUrl") and isinstance(item, str)
                      else tooling_links(item, version)) for key, item in value.items()}
    if isinstance(value, list):
        return [tooling_links(item, version) for item in value]
    return value


def relinked(response: Response, version: str) -> Response:
    return json_response(tooling_links(orjson.loads(response.body), version), response.status_code)


def tooling_object(name: str) -> str:
    found = next((tooling for tooling in TOOLING_OBJECTS if tooling.lower() == name.lower()), None)
    if found is None:
        raise InvalidType(unsupported_type(name))
    return found


async def resources(request: Request) -> Response:
    version = request.path_params["version"]
    return json_response({name: f"/services/data/v{version}/tooling/{name}" for name in ("query", "sobjects")})


async def tooling_query(request: Request) -> Response:
    soql = request.query_params.get("q")
    if not soql or not soql.strip():
        raise MalformedQuery("A query string has to be specified")
    caller = caller_for(request)
    org = caller.org
    compiled = org.queries.get(soql, org.registry, org.store.tables)
    tooling_object(compiled.resolved.obj.name)
    return relinked(await query.query(request), caller.version)


async def tooling_query_more(request: Request) -> Response:
    return relinked(await query.query_more(request), request.path_params["version"])


async def describe_global(request: Request) -> Response:
    caller = caller_for(request)
    objects = [caller.readable(name) for name in TOOLING_OBJECTS]
    return json_response(tooling_links(describe.describe_global(objects, caller.version), caller.version))


def described_object(name: str) -> str:
    """As the REST sobjects routes: an unknown type's describe is 404 NOT_FOUND (the sf CLI reads that as "this
    org does not track source" when it asks for SourceMember)."""
    try:
        return tooling_object(name)
    except InvalidType:
        raise NotFound() from None


async def sobject_info(request: Request) -> Response:
    caller = caller_for(request)
    obj = caller.readable(described_object(request.path_params["sobject"]))
    return json_response(tooling_links(describe.basic_info(obj, caller.version), caller.version))


async def sobject_describe(request: Request) -> Response:
    caller = caller_for(request)
    obj = caller.readable(described_object(request.path_params["sobject"]))
    return json_response(tooling_links(describe.describe_object(obj, caller.version), caller.version))


async def record(request: Request) -> Response:
    caller = caller_for(request)
    name = tooling_object(request.path_params["sobject"])
    segment = request.path_params["record_id"]
    caller.readable(name)
    if request.method == "PATCH":
        if name != FLOW_DEFINITION:
            return await flow_versions.patch_flow(request, caller, segment)
        return await flow_versions.patch_flow_definition(request, caller, segment)
    if request.method not in ("GET", "HEAD"):
        raise NotFound()
    fields = requested_fields(request)
    response = await run_operation(caller, lambda tx: record_ops.retrieve(caller, tx, name, segment, fields))
    return relinked(response, caller.version)
