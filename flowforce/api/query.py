"""`query` / `queryAll` with `nextRecordsUrl` paging (reference/api-surface.md §5, clients.md §1.5).

A REST query is not an Apex transaction: no SOQL row governor applies. The first batch is read (one row more,
to know whether there are others), and when there are, the total is counted and a query locator
(`01g…-<offset>`) opened; each later page is read from the store again (api/locators.py).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.errors import InvalidQueryLocator, InvalidType, MalformedQuery
from flowforce.api.locators import Cursor
from flowforce.api.record_ops import Caller
from flowforce.api.responses import json_response
from flowforce.api.sobjects import caller_for
from flowforce.api.wire_values import to_wire
from flowforce.records.limits import GovernorLimits
from flowforce.records.transaction import Transaction
from flowforce.soql import CompiledQuery, QueryResult
from flowforce.soql.bound import touched_objects
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
    """Every object the query touches must be readable; one that is not does not exist for the user
    (INVALID_TYPE, like an unknown object) — parents through field paths and semi-joins included."""
    for obj in touched_objects(compiled.resolved):
        if not caller.org.auth.can_access_object(caller.session, obj.name, "read"):
            raise InvalidType(unsupported_type(obj.name))


def compile_readable(caller: Caller, soql: str) -> CompiledQuery:
    org = caller.org
    compiled = org.queries.get(soql, org.registry, org.store.tables)
    check_readable(caller, compiled)
    return compiled


def run_query(caller: Caller, soql: str, include_deleted: bool) -> QueryResult:
    """The whole result of a query the caller may read, in one transaction (the web console's tables)."""
    with caller.org.transaction(caller.session, limits=GovernorLimits.unlimited()) as tx:
        return compile_readable(caller, soql).execute(tx, include_deleted=include_deleted)


def page_body(result: QueryResult, total: int, done: bool, version: str, next_url: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"totalSize": total, "done": done}
    if next_url is not None:
        body["nextRecordsUrl"] = next_url
    body["records"] = [to_wire(record, version) for record in result.records]
    return body


def next_url(version: str, locator: str, offset: int) -> str:
    return f"/services/data/v{version}/query/{locator}-{offset}"


def first_page(caller: Caller, tx: Transaction, soql: str, include_deleted: bool,
               size: int | None = None) -> dict[str, Any]:
    """The first *size* rows, read in *tx*; a cursor for the rest when there are more (it keeps the query, not
    the rows: later pages are read again from the store)."""
    server = caller.server
    size = size or server.settings.query_batch_size
    compiled = compile_readable(caller, soql)
    if compiled.kind == "count":
        result = compiled.execute(tx, include_deleted=include_deleted)
        return page_body(result, result.total_size, True, caller.version, None)
    result = compiled.execute_window(tx, offset=0, size=size + 1, include_deleted=include_deleted)
    if len(result.records) <= size:
        return page_body(result, len(result.records), True, caller.version, None)
    del result.records[size:]
    total = compiled.count_rows(tx, include_deleted=include_deleted)
    locator = server.locators.open(caller.session, soql, include_deleted, total, size)
    return page_body(result, total, False, caller.version, next_url(caller.version, locator, size))


def read_first_page(caller: Caller, soql: str, include_deleted: bool, size: int | None = None) -> dict[str, Any]:
    with caller.org.transaction(caller.session, limits=GovernorLimits.unlimited()) as tx:
        return first_page(caller, tx, soql, include_deleted, size)


def read_page(caller: Caller, cursor: Cursor, locator: str, offset: int) -> dict[str, Any]:
    """A later page: the cursor's query again, rows *offset*… (permissions checked again, as for a new query)."""
    with caller.org.transaction(caller.session, limits=GovernorLimits.unlimited()) as tx:
        compiled = compile_readable(caller, cursor.soql)
        result = compiled.execute_window(tx, offset=offset, size=cursor.batch_size,
                                         include_deleted=cursor.include_deleted)
    following = offset + cursor.batch_size
    done = following >= cursor.total_size
    return page_body(result, cursor.total_size, done, caller.version,
                     None if done else next_url(caller.version, locator, following))


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
    return json_response(await server.blocking(read_first_page, caller, soql, include_deleted, size))


async def query(request: Request) -> Response:
    return await _query(request, include_deleted=False)


async def query_all(request: Request) -> Response:
    return await _query(request, include_deleted=True)


async def query_more(request: Request) -> Response:
    """`query/<locator>-<offset>` (also under queryAll: jsforce always pages through /query/)."""
    match = _LOCATOR.match(request.path_params["locator"])
    caller = caller_for(request)
    cursor = caller.server.locators.get(match.group(1), caller.session) if match else None
    if match is None or cursor is None:
        raise InvalidQueryLocator()
    offset = int(match.group(2))
    if offset > cursor.total_size:
        raise InvalidQueryLocator()
    return json_response(await caller.server.blocking(read_page, caller, cursor, match.group(1), offset))
