"""sObject operations on one transaction, returning wire replies; shared by the sobjects and composite routes.

reference/api-surface.md §6.1–6.5. Each operation takes a `Caller` (server, session, API version) and an
open records `Transaction`; the caller decides commit/rollback, so composite can run several in one.
Record-triggered work happens inside the store's DML (records/hooks.py), whoever calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from flowforce.api.errors import MethodNotAllowed, NotFound, from_dml_errors
from flowforce.api.responses import json_response, no_content
from flowforce.api.server import Server
from flowforce.api.session import Session, require_object_access
from flowforce.api.wire_values import save_result_json, to_wire
from flowforce.records.errors import InvalidTypeError
from flowforce.records.ids import is_id, normalize_id
from flowforce.records.results import SaveResult
from flowforce.records.schema import FieldType, ObjectSchema
from flowforce.records.transaction import Transaction
from flowforce.runtime import Org
from flowforce.soql import run_soql

OPERATIONS = {"POST": "create", "PATCH": "edit", "DELETE": "delete"}


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        if self.status == 204:
            return no_content()
        return json_response(self.body, self.status, self.headers or None)


@dataclass
class Caller:
    server: Server
    session: Session
    version: str

    @property
    def org(self) -> Org:
        return self.server.org

    def sobject_url(self, object_name: str, record_id: str) -> str:
        return f"/services/data/v{self.version}/sobjects/{object_name}/{record_id}"

    def readable(self, name: str) -> ObjectSchema:
        """The object, or NOT_FOUND when unknown or not readable (api-surface.md §6.1: unknown type → 404)."""
        try:
            obj = self.org.registry.get(name)
        except InvalidTypeError:
            raise NotFound() from None
        if not self.org.auth.can_access_object(self.session, obj.name, "read"):
            raise NotFound()
        return obj

    def writable(self, name: str, method: str) -> ObjectSchema:
        obj = self.readable(name)
        # Objects the platform keeps answer like a read-only resource (the store refuses them to flows too).
        if not {"POST": obj.createable, "PATCH": obj.updateable, "DELETE": obj.deletable}[method]:
            raise MethodNotAllowed.for_method(method, "GET,HEAD")
        require_object_access(self.org.auth, self.session, obj.name, OPERATIONS[method])
        return obj


def _body_fields(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "attributes"}


def save(call: Callable[[], list[SaveResult]]) -> SaveResult:
    """Run one DML call; a failed record becomes the REST error array (the whole call fails)."""
    result = call()[0]
    if not result.success:
        raise from_dml_errors(result.errors)
    return result


def create(caller: Caller, tx: Transaction, object_name: str, body: dict[str, Any]) -> Reply:
    obj = caller.writable(object_name, "POST")
    result = save(lambda: tx.insert(obj.name, [_body_fields(body)]))
    assert result.id is not None
    return Reply(201, save_result_json(result), {"Location": caller.sobject_url(obj.name, result.id)})


def _record_id(obj: ObjectSchema, segment: str) -> str:
    """reference/api-surface.md §2: a segment that is not an id is read as an external id field name."""
    if not is_id(segment):
        raise NotFound(f"Provided external ID field does not exist or is not accessible: {segment}")
    return normalize_id(segment)


def retrieve(caller: Caller, tx: Transaction, object_name: str, segment: str, fields: list[str] | None) -> Reply:
    obj = caller.readable(object_name)
    record = tx.retrieve(obj.name, [_record_id(obj, segment)], fields or None)[0]
    if record is None:
        raise NotFound()
    return Reply(200, to_wire(record, caller.version))


def update(caller: Caller, tx: Transaction, object_name: str, segment: str, body: dict[str, Any]) -> Reply:
    obj = caller.writable(object_name, "PATCH")
    values = {**_body_fields(body), "Id": _record_id(obj, segment)}
    save(lambda: tx.update(obj.name, [values]))
    return Reply(204)


def delete(caller: Caller, tx: Transaction, object_name: str, segment: str) -> Reply:
    obj = caller.writable(object_name, "DELETE")
    record_id = _record_id(obj, segment)
    save(lambda: tx.delete(obj.name, [record_id]))
    return Reply(204)


# --- by external id (api-surface.md §6.2, §6.5) ---------------------------------------------------------


def _external_field(obj: ObjectSchema, name: str) -> str:
    if not obj.has_field(name):
        raise NotFound(f"Provided external ID field does not exist or is not accessible: {name}")
    schema = obj.field(name)
    if not (schema.external_id or schema.id_lookup or schema.type is FieldType.ID):
        raise NotFound(f"Provided external ID field does not exist or is not accessible: {name}")
    return schema.name


def soql_literal(value: str, numeric: bool) -> str:
    if numeric:
        try:
            float(value)
        except ValueError:
            raise NotFound() from None
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def matching_ids(caller: Caller, tx: Transaction, obj: ObjectSchema, field_name: str, value: str) -> list[str]:
    numeric = obj.field(field_name).type in (FieldType.DOUBLE, FieldType.INT, FieldType.CURRENCY, FieldType.PERCENT)
    soql = f"SELECT Id FROM {obj.name} WHERE {field_name} = {soql_literal(value, numeric)}"
    return [str(record.id) for record in run_soql(soql, tx, cache=caller.org.queries).records]


def multiple_choices(caller: Caller, obj: ObjectSchema, ids: list[str]) -> Reply:
    """api-surface.md §6.5: more than one match → 300 with the records' URLs."""
    return Reply(300, [caller.sobject_url(obj.name, record_id) for record_id in ids])


def _single_match(caller: Caller, tx: Transaction, obj: ObjectSchema, field_name: str, value: str) -> str | Reply:
    ids = matching_ids(caller, tx, obj, _external_field(obj, field_name), value)
    if not ids:
        raise NotFound()
    return ids[0] if len(ids) == 1 else multiple_choices(caller, obj, ids)


def retrieve_by_external_id(caller: Caller, tx: Transaction, object_name: str, field_name: str, value: str,
                            fields: list[str] | None) -> Reply:
    obj = caller.readable(object_name)
    match = _single_match(caller, tx, obj, field_name, value)
    if isinstance(match, Reply):
        return match
    return retrieve(caller, tx, obj.name, match, fields)


def delete_by_external_id(caller: Caller, tx: Transaction, object_name: str, field_name: str, value: str) -> Reply:
    obj = caller.writable(object_name, "DELETE")
    match = _single_match(caller, tx, obj, field_name, value)
    return match if isinstance(match, Reply) else delete(caller, tx, obj.name, match)


def upsert(caller: Caller, tx: Transaction, object_name: str, field_name: str, value: str,
           body: dict[str, Any]) -> Reply:
    """201 when created, 200 when an existing record was updated (`created` key, v46+)."""
    obj = caller.writable(object_name, "PATCH")
    key = _external_field(obj, field_name)
    values = {**_body_fields(body), key: value}
    result = tx.upsert(obj.name, key, [values])[0]
    if not result.success:
        if result.errors[0].status_code == "DUPLICATE_EXTERNAL_ID":
            return multiple_choices(caller, obj, matching_ids(caller, tx, obj, key, value))
        raise from_dml_errors(result.errors)
    headers = {"Location": caller.sobject_url(obj.name, str(result.id))} if result.created else {}
    return Reply(201 if result.created else 200, save_result_json(result, include_created=True), headers)


def run_in_transaction(caller: Caller, operation: Callable[[Transaction], Reply]) -> Reply:
    """One REST call = one transaction: committed on success (including 300), rolled back on any error."""
    tx = caller.org.transaction(caller.session)
    try:
        reply = operation(tx)
    except BaseException:
        tx.rollback()
        raise
    if reply.status < 300:
        tx.commit()
    else:
        tx.rollback()
    return reply

