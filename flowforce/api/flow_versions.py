"""Seed 002's flow routes: `GET sobjects/Flow?q=SOQL` (a FlowListResponse) and `PATCH sobjects/Flow/{id}` with
`Status` and/or `Description` (activation), plus the Tooling `FlowDefinition` PATCH of
`Metadata.activeVersionNumber`. Activation is for flow administrators (Manage Flows or Modify All Data)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.body import json_object
from flowforce.api.errors import InsufficientAccess, NotFound
from flowforce.api.record_ops import Caller, Reply
from flowforce.records.errors import InvalidFieldForInsertUpdate
from flowforce.records.ids import is_id, normalize_id
from flowforce.records.transaction import Transaction
from flowforce.runtime.flow_records import FLOW, FLOW_DEFINITION

PATCHABLE = {"status": "Status", "description": "Description"}


def require_flow_admin(caller: Caller) -> None:
    if not caller.session.is_flow_admin:
        raise InsufficientAccess("You need the Manage Flows permission to change a flow version.")


def flow_version(tx: Transaction, segment: str) -> tuple[str, int]:
    """The (API name, version number) of a Flow row, 404 when there is none."""
    if not is_id(segment):
        raise NotFound()
    [row] = tx.retrieve(FLOW, [normalize_id(segment)], ["ApiName", "VersionNumber"])
    if row is None:
        raise NotFound()
    return str(row["ApiName"]), int(row["VersionNumber"])


async def patch_flow(request: Request, caller: Caller, segment: str) -> Response:
    require_flow_admin(caller)
    body = await json_object(request)
    values = {key: value for key, value in body.items() if key != "attributes"}
    unknown = [key for key in values if key.lower() not in PATCHABLE]
    if unknown:
        raise InvalidFieldForInsertUpdate.for_fields(unknown)
    fields = {PATCHABLE[key.lower()]: value for key, value in values.items()}
    org = caller.org

    def change() -> Reply:
        with org.store.transaction(user_id=caller.session.user_id) as tx:
            name, version = flow_version(tx, segment)
        org.set_flow_version(name, version, status=fields.get("Status"), description=fields.get("Description"))
        return Reply(204)

    return (await caller.server.blocking(change)).response()


async def patch_flow_definition(request: Request, caller: Caller, segment: str) -> Response:
    """Tooling: `{"Metadata": {"activeVersionNumber": N}}` activates version N; 0 or null deactivates."""
    require_flow_admin(caller)
    body = await json_object(request)
    metadata = body.get("Metadata")
    if not isinstance(metadata, dict) or "activeVersionNumber" not in metadata:
        raise InvalidFieldForInsertUpdate.for_fields([key for key in body if key != "Metadata"] or ["Metadata"])
    wanted = metadata["activeVersionNumber"]
    org = caller.org

    def change() -> Reply:
        with org.store.transaction(user_id=caller.session.user_id) as tx:
            if not is_id(segment):
                raise NotFound()
            [definition] = tx.retrieve(FLOW_DEFINITION, [normalize_id(segment)], ["DeveloperName"])
        if definition is None:
            raise NotFound()
        name = str(definition["DeveloperName"])
        if wanted:
            org.set_flow_version(name, int(wanted), status="Active")
        else:
            active = org.library.active(name)
            if active is not None:
                org.set_flow_version(name, active.flow.version, status="Obsolete")
        return Reply(204)

    return (await caller.server.blocking(change)).response()


def flow_list(caller: Caller, soql: str) -> dict[str, Any]:
    """Seed 002 `GET sobjects/Flow?q=`: the query's result (totalSize, done, records)."""
    from flowforce.api.query import read_first_page  # query imports sobjects, which routes here

    return read_first_page(caller, soql, include_deleted=False)
