"""`composite` (subrequests in one transaction) and `composite/sobjects` (sObject collections).

reference/api-surface.md §7. Composite answers 200 with one entry per subrequest; with `allOrNone` a failure
rolls back everything and every other subrequest reads PROCESSING_HALTED; without it only the failing
subrequest is undone (a savepoint each) and subrequests referring to it are halted. References
`@{ref.field}` / `@{ref.records[0].Id}` are resolved from earlier bodies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api import record_ops
from flowforce.api.body import json_object, wrong_shape
from flowforce.api.errors import (
    ApiError,
    JsonParserError,
    NotFound,
    ProcessingHalted,
    RecordApiError,
    from_record_error,
)
from flowforce.api.query import first_page
from flowforce.api.record_ops import Caller, Reply
from flowforce.api.responses import json_response
from flowforce.api.sobjects import caller_for
from flowforce.api.wire_values import save_result_json, to_wire
from flowforce.records.errors import AllOrNoneRolledBack, RecordError
from flowforce.records.results import SaveResult
from flowforce.records.transaction import Transaction

MAX_SUBREQUESTS = 25  # UNCONFIRMED (api-surface.md §7.1)
MAX_RECORDS = 200
_REFERENCE = re.compile(r"@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])+)\}")
_VERSIONED_PATH = re.compile(r"^/services/data/v[^/]+/")


async def composite_index(request: Request) -> Response:
    version = request.path_params["version"]
    return json_response({kind: f"/services/data/v{version}/composite/{kind}"
                          for kind in ("tree", "batch", "sobjects", "graph")})


# --- composite --------------------------------------------------------------------------------------------


def _lookup(value: Any, path: str) -> Any:
    for name, index in re.findall(r"\.([A-Za-z0-9_]+)|\[(\d+)\]", path):
        if index:
            value = value[int(index)]
        elif isinstance(value, dict):
            value = next((item for key, item in value.items() if key.lower() == name.lower()), None)
        else:
            value = None
    return value


def resolve_references(value: Any, bodies: dict[str, Any]) -> Any:
    """Replace `@{ref.path}` in strings (a whole-string reference keeps the referenced JSON type)."""
    if isinstance(value, str):
        whole = _REFERENCE.fullmatch(value)
        if whole and whole.group(1) in bodies:
            return _lookup(bodies[whole.group(1)], whole.group(2))
        return _REFERENCE.sub(lambda m: str(_lookup(bodies[m.group(1)], m.group(2))) if m.group(1) in bodies
                              else m.group(0), value)
    if isinstance(value, dict):
        return {key: resolve_references(item, bodies) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_references(item, bodies) for item in value]
    return value


def dispatch(caller: Caller, tx: Transaction, method: str, url: str, body: Any) -> Reply:
    """Run one subrequest: the sobjects and query resources (others answer NOT_FOUND)."""
    parts = urlsplit(url)
    path = _VERSIONED_PATH.sub("", parts.path).strip("/")
    segments = [unquote(segment) for segment in path.split("/")]
    params = parse_qs(parts.query)
    fields = params["fields"][0].split(",") if "fields" in params else None
    if segments[0] in ("query", "queryAll") and len(segments) == 1 and method == "GET" and "q" in params:
        return Reply(200, first_page(caller, tx, params["q"][0], include_deleted=segments[0] == "queryAll"))
    if segments[0] != "sobjects" or len(segments) < 2:
        raise NotFound()
    body = body if isinstance(body, dict) else {}
    name, rest = segments[1], segments[2:]
    operations: dict[tuple[int, str], Callable[[], Reply]] = {
        (0, "POST"): lambda: record_ops.create(caller, tx, name, body),
        (1, "GET"): lambda: record_ops.retrieve(caller, tx, name, rest[0], fields),
        (1, "PATCH"): lambda: record_ops.update(caller, tx, name, rest[0], body),
        (1, "DELETE"): lambda: record_ops.delete(caller, tx, name, rest[0]),
        (2, "GET"): lambda: record_ops.retrieve_by_external_id(caller, tx, name, rest[0], rest[1], fields),
        (2, "PATCH"): lambda: record_ops.upsert(caller, tx, name, rest[0], rest[1], body),
        (2, "DELETE"): lambda: record_ops.delete_by_external_id(caller, tx, name, rest[0], rest[1]),
    }
    operation = operations.get((len(rest), method.upper()))
    if operation is None:
        raise NotFound()
    return operation()


def _failure(error: Exception) -> Reply:
    api_error = from_record_error(error) if isinstance(error, RecordError) else error
    assert isinstance(api_error, ApiError)
    return Reply(api_error.http_status, api_error.body())


def _entry(reference: str, reply: Reply) -> dict[str, Any]:
    return {"body": reply.body, "httpHeaders": reply.headers, "httpStatusCode": reply.status,
            "referenceId": reference}


def run_composite(caller: Caller, subrequests: list[dict[str, Any]], all_or_none: bool) -> list[dict[str, Any]]:
    bodies: dict[str, Any] = {}
    failed: set[str] = set()
    replies: list[tuple[str, Reply]] = []
    tx = caller.org.transaction(caller.session)
    try:
        for sub in subrequests:
            reference = str(sub.get("referenceId", ""))
            used = set(_REFERENCE.findall(str(sub.get("url", "")) + str(sub.get("body", ""))))
            if any(name in failed for name, _ in used) or (all_or_none and failed):
                replies.append((reference, Reply(400, ProcessingHalted().body())))
                failed.add(reference)
                continue
            marker = tx.savepoint()
            try:
                reply = dispatch(caller, tx, str(sub.get("method", "GET")),
                                 resolve_references(str(sub.get("url", "")), bodies),
                                 resolve_references(sub.get("body"), bodies))
            except (ApiError, RecordError) as error:
                reply = _failure(error)
            if reply.status >= 400:
                marker.rollback()
                failed.add(reference)
            else:
                marker.release()
                bodies[reference] = reply.body
            replies.append((reference, reply))
        if all_or_none and failed:
            tx.rollback()
            halted = Reply(400, ProcessingHalted().body())
            replies = [(ref, reply if reply.status >= 400 else halted) for ref, reply in replies]
        else:
            tx.commit()
    except BaseException:
        tx.rollback()
        raise
    return [_entry(reference, reply) for reference, reply in replies]


async def composite(request: Request) -> Response:
    body = await json_object(request, "CompositeRequest")
    subrequests = body.get("compositeRequest")
    if not isinstance(subrequests, list) or not all(isinstance(sub, dict) for sub in subrequests):
        raise wrong_shape("List<CompositeSubrequest>", subrequests)
    if len(subrequests) > MAX_SUBREQUESTS:
        raise JsonParserError(f"Composite requests may contain at most {MAX_SUBREQUESTS} subrequests.")
    for sub in subrequests:  # a String in Salesforce's schema and in the OpenAPI document (UNCONFIRMED coercion)
        if sub.get("referenceId") is not None and not isinstance(sub["referenceId"], str):
            raise wrong_shape("String", sub["referenceId"])
    caller = caller_for(request)
    entries = await caller.server.blocking(run_composite, caller, subrequests, bool(body.get("allOrNone")))
    return json_response({"compositeResponse": entries})


# --- composite/sobjects (sObject Collections, api-surface.md §7.2) ----------------------------------------


def save_json(result: SaveResult, upsert: bool = False) -> dict[str, Any]:
    """Failed items carry no `id` (jsforce copes; UNCONFIRMED)."""
    body = save_result_json(result, include_created=upsert)
    if body["id"] is None:
        del body["id"]
    return body


def _rolled_back() -> SaveResult:
    return SaveResult(None, False, [AllOrNoneRolledBack().to_dml_error()])


def collection_dml(caller: Caller, all_or_none: bool, operation: Callable[[Transaction], list[SaveResult]],
                   upsert: bool = False) -> list[dict[str, Any]]:
    """Run one collection call; with allOrNone a failure undoes all and marks the innocent records."""
    with caller.org.transaction(caller.session) as tx:
        marker = tx.savepoint()
        results = operation(tx)
        if all_or_none and not all(result.success for result in results):
            marker.rollback()
            results = [result if not result.success else _rolled_back() for result in results]
        else:
            marker.release()
    return [save_json(result, upsert) for result in results]


def _records(body: dict[str, Any]) -> list[dict[str, Any]]:
    records = body.get("records")
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise wrong_shape("List<SObject>", records)
    if len(records) > MAX_RECORDS:
        raise RecordApiError("EXCEEDED_ID_LIMIT", f"record limit reached. cannot submit more than {MAX_RECORDS} "
                             "records into this call")
    return records


def _record_type(caller: Caller, record: dict[str, Any]) -> str:
    attributes = record.get("attributes")
    declared = attributes.get("type") if isinstance(attributes, dict) else None
    if not declared and isinstance(record.get("Id"), str):
        obj = caller.org.registry.object_for_id(record["Id"])
        declared = obj.name if obj else None
    if not declared:
        raise JsonParserError("Each record must have attributes with a type.")
    return str(declared)


def by_type(caller: Caller, tx: Transaction, records: list[dict[str, Any]], method: str,
            call: Callable[[Transaction, str, list[dict[str, Any]]], list[SaveResult]]) -> list[SaveResult]:
    """Records in request order, one DML call per run of the same type."""
    results: list[SaveResult] = []
    start = 0
    while start < len(records):
        name = _record_type(caller, records[start])
        end = start
        while end < len(records) and _record_type(caller, records[end]).lower() == name.lower():
            end += 1
        obj = caller.writable(name, method)
        values = [{key: value for key, value in record.items() if key != "attributes"} for record in records[start:end]]
        results.extend(call(tx, obj.name, values))
        start = end
    return results


async def collection_save(request: Request) -> Response:
    """POST creates, PATCH updates (records carry their type in `attributes`)."""
    caller = caller_for(request)
    body = await json_object(request, "SObjectCollection")
    records = _records(body)
    if request.method == "POST":
        def call(tx: Transaction, name: str, values: list[dict[str, Any]]) -> list[SaveResult]:
            return tx.insert(name, values, all_or_none=False)
    else:
        def call(tx: Transaction, name: str, values: list[dict[str, Any]]) -> list[SaveResult]:
            return tx.update(name, values, all_or_none=False)
    entries = await caller.server.blocking(collection_dml, caller, bool(body.get("allOrNone")),
                                      lambda tx: by_type(caller, tx, records, request.method, call))
    return json_response(entries)


async def collection_delete(request: Request) -> Response:
    caller = caller_for(request)
    ids = [item for item in request.query_params.get("ids", "").split(",") if item]
    if len(ids) > MAX_RECORDS:
        raise RecordApiError("EXCEEDED_ID_LIMIT", f"record limit reached. cannot submit more than {MAX_RECORDS} "
                             "records into this call")
    for record_id in ids:
        obj = caller.org.registry.object_for_id(record_id)
        if obj is not None:
            caller.writable(obj.name, "DELETE")
    all_or_none = request.query_params.get("allOrNone", "false").lower() == "true"
    entries = await caller.server.blocking(collection_dml, caller, all_or_none,
                                      lambda tx: tx.delete(None, ids, all_or_none=False))
    return json_response(entries)


async def collection_retrieve(request: Request) -> Response:
    caller, name = caller_for(request), request.path_params["sobject"]
    obj = caller.readable(name)
    ids = [item for item in request.query_params.get("ids", "").split(",") if item]
    fields = [item for item in request.query_params.get("fields", "").split(",") if item] or None

    def retrieve() -> list[Any]:
        with caller.org.transaction(caller.session) as tx:
            return tx.retrieve(obj.name, ids, fields)

    records = await caller.server.blocking(retrieve)
    return json_response([to_wire(record, caller.version) for record in records])


async def collection_upsert(request: Request) -> Response:
    caller, name, field = caller_for(request), request.path_params["sobject"], request.path_params["field"]
    obj = caller.writable(name, "PATCH")
    body = await json_object(request, "SObjectCollection")
    records = [{key: value for key, value in record.items() if key != "attributes"} for record in _records(body)]
    entries = await caller.server.blocking(collection_dml, caller, bool(body.get("allOrNone")),
                                      lambda tx: tx.upsert(obj.name, field, records, all_or_none=False), True)
    return json_response(entries)
