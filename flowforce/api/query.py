"""`query` / `queryAll` with `nextRecordsUrl` paging (reference/api-surface.md §5, clients.md §1.5).

A REST query is not an Apex transaction: no SOQL row governor applies, so the whole result is read once,
the first batch returned, and the rest kept under a query locator (`01g…-<offset>`). Pages are rendered
lazily, so a large result costs its JSON only when it is fetched.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.errors import InvalidQueryLocator, InvalidType, MalformedQuery
from flowforce.api.locators import QueryLocators
from flowforce.api.record_ops import Caller
from flowforce.api.responses import json_response
from flowforce.api.server import server_of
from flowforce.api.sobjects import caller_for
from flowforce.api.wire_values import to_wire
from flowforce.records.limits import GovernorLimits
from flowforce.records.transaction import Transaction
from flowforce.soql import CompiledQuery, QueryResult
from flowforce.soql.errors import unsupported_type

BATCH_MIN, BATCH_MAX = 200, 2000
_BATCH_OPTION = re.compile(r"batchSize\s*=\s*(\d+)", re.IGNORECASE)
_LOCATOR = re.compile(r"^(01g[0-9A-Za-z]{15})-(\d+)$")


def batch_size(request: Request, default: int) -> int:
    """`Sforce-Query-Options: batchSize=N`, clamped to 200..2000 (Salesforce treats it as a hint)."""
    match = _BATCH_OPTION.search(request.headers.get("sforce-query-options", ""))
    if match is None:
        return default
    return max(BATCH_MIN, min(BATCH_MAX, int(match.group(1))))


def check_readable(caller: Caller, compiled: CompiledQuery) -> None:
    """Objects the user cannot read do not exist for them (INVALID_TYPE, like an unknown object)."""
    resolved = compiled.resolved
    names = [resolved.obj.name] + [child.query.obj.name for child in resolved.children]
    for name in names:
        if not caller.org.auth.can_access_object(caller.session, name, "read"):
            raise InvalidType(unsupported_type(name))


def compile_readable(caller: Caller, soql: str) -> CompiledQuery:
    org = caller.org
    compiled = org.queries.get(soql, org.registry, org.store.tables)
    check_readable(caller, compiled)
    return compiled


def execute(caller: Caller, tx: Transaction, soql: str, include_deleted: bool) -> QueryResult:
    return compile_readable(caller, soql).execute(tx, include_deleted=include_deleted)


def run_query(caller: Caller, soql: str, include_deleted: bool) -> QueryResult:
    with caller.org.transaction(caller.session, limits=GovernorLimits.unlimited()) as tx:
        return execute(caller, tx, soql, include_deleted)


def page(records: list[Any], total: int, offset: int, size: int, version: str, locator: str | None
         ) -> dict[str, Any]:
    chunk = records[offset:offset + size]
    done = offset + size >= len(records)
    body: dict[str, Any] = {"totalSize": total, "done": done}
    if not done:
        body["nextRecordsUrl"] = f"/services/data/v{version}/query/{locator}-{offset + size}"
    body["records"] = [to_wire(record, version) for record in chunk]
    return body


def first_page(result: QueryResult, locators: QueryLocators, size: int, version: str) -> dict[str, Any]:
    locator = locators.open(result.records, result.total_size, size) if len(result.records) > size else None
    return page(result.records, result.total_size, 0, size, version, locator)


async def _query(request: Request, include_deleted: bool) -> Response:
    soql = request.query_params.get("q")
    if not soql or not soql.strip():
        raise MalformedQuery("A query string has to be specified")
    if request.query_params.get("columns", "").lower() == "true":  # clients.md §4.5: `sf data query`
        from flowforce.api.query_columns import query_columns

        return await query_columns(request, soql)
    caller = caller_for(request)
    server = caller.server
    size = batch_size(request, server.settings.query_batch_size)
    result = await server.blocking(run_query, caller, soql, include_deleted)
    return json_response(first_page(result, server.locators, size, caller.version))


async def query(request: Request) -> Response:
    return await _query(request, include_deleted=False)


async def query_all(request: Request) -> Response:
    return await _query(request, include_deleted=True)


async def query_more(request: Request) -> Response:
    """`query/<locator>-<offset>` (also under queryAll: jsforce always pages through /query/)."""
    match = _LOCATOR.match(request.path_params["locator"])
    cursor = server_of(request).locators.get(match.group(1)) if match else None
    if match is None or cursor is None:
        raise InvalidQueryLocator()
    offset = int(match.group(2))
    if offset > len(cursor.records):
        raise InvalidQueryLocator()
    return json_response(page(cursor.records, cursor.total_size, offset, cursor.batch_size,
                              request.path_params["version"], match.group(1)))
