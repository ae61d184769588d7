"""The OpenAPI 3.1 document of the Salesforce routes flowforce serves (`GET /openapi.json`).

Schemas describe the real wire shapes (reference/api-surface.md); tests validate live responses against them.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from flowforce.api.responses import json_response

NULLABLE_STRING = {"type": ["string", "null"]}
V = "/services/data/v{version}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict[str, Any], required: list[str] | None = None, extra: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties,
                              "required": required if required is not None else list(properties)}
    if not extra:
        schema["additionalProperties"] = False
    return schema


SCHEMAS: dict[str, Any] = {
    "Error": _object({"message": {"type": "string"}, "errorCode": {"type": "string"},
                      "fields": {"type": "array", "items": {"type": "string"}}}, ["message", "errorCode"]),
    "Errors": {"type": "array", "items": _ref("Error"), "minItems": 1},
    "Versions": {"type": "array", "items": _object({"label": {"type": "string"}, "url": {"type": "string"},
                                                    "version": {"type": "string", "pattern": r"^\d\d\.0$"}})},
    "ResourceMap": {"type": "object", "additionalProperties": {"type": "string"}, "required": ["sobjects", "query"]},
    "Limits": {"type": "object", "additionalProperties": _object({"Max": {"type": "integer"},
                                                                  "Remaining": {"type": "integer"}})},
    "ActionList": _object({"actions": {"type": "array", "items": _object({
        "label": {"type": "string"}, "name": {"type": "string"}, "type": {"type": "string"},
        "url": {"type": "string"}})}}),
    "ActionParameter": _object({
        "apexClass": NULLABLE_STRING, "description": NULLABLE_STRING, "label": {"type": "string"},
        "maxOccurs": {"type": "integer"}, "name": {"type": "string"}, "picklistValues": {"type": ["array", "null"]},
        "sobjectType": NULLABLE_STRING, "type": NULLABLE_STRING,
    }),
    "FlowDescribe": _object({
        "allowsTransactionControl": {"type": "boolean"}, "description": NULLABLE_STRING,
        "inputs": {"type": "array", "items": _ref("ActionParameter")}, "label": {"type": "string"},
        "name": {"type": "string"}, "outputs": {"type": "array", "items": _ref("ActionParameter")},
        "type": {"const": "FLOW"},
    }),
    "InvokeRequest": _object({"inputs": {"type": "array", "items": {"type": "object"}}}),
    "SaveError": _object({"statusCode": {"type": "string"}, "message": {"type": "string"},
                          "fields": {"type": "array", "items": {"type": "string"}}}),
    "InvokeResult": _object({
        "actionName": NULLABLE_STRING,
        "errors": {"oneOf": [{"type": "null"}, {"type": "array", "items": _ref("SaveError")}]},
        "invocationId": {"type": "null"}, "isSuccess": {"type": "boolean"}, "outcome": {"type": "null"},
        "outputValues": {"type": ["object", "null"]}, "sortOrder": {"type": "integer"},
        "version": {"type": "integer"},
    }),
    "InvokeResults": {"type": "array", "items": _ref("InvokeResult")},
    "SaveResult": _object({"id": NULLABLE_STRING, "success": {"type": "boolean"},
                           "errors": {"type": "array", "items": _ref("SaveError")},
                           "created": {"type": "boolean"}}, ["success", "errors"]),
    "SaveResults": {"type": "array", "items": _ref("SaveResult")},
    "Record": _object({"attributes": _object({"type": {"type": "string"}, "url": {"type": "string"}}, ["type"])},
                      ["attributes"]),
    "QueryResult": _object({"totalSize": {"type": "integer"}, "done": {"type": "boolean"},
                            "nextRecordsUrl": {"type": "string"},
                            "records": {"type": "array", "items": _ref("Record")}},
                           ["totalSize", "done", "records"]),
    "SObjectSummary": _object({name: {"type": "boolean"} for name in (
        "createable", "custom", "deletable", "queryable", "updateable")} | {
        "name": {"type": "string"}, "label": {"type": "string"}, "keyPrefix": NULLABLE_STRING,
        "urls": {"type": "object"}}),
    "DescribeGlobal": _object({"encoding": {"type": "string"}, "maxBatchSize": {"type": "integer"},
                               "sobjects": {"type": "array", "items": _ref("SObjectSummary")}}),
    "FieldDescribe": _object({"name": {"type": "string"}, "label": {"type": "string"}, "type": {"type": "string"},
                              "soapType": {"type": "string"}, "nillable": {"type": "boolean"},
                              "length": {"type": "integer"}, "referenceTo": {"type": "array"},
                              "picklistValues": {"type": "array"}}),
    "SObjectDescribe": _object({"name": {"type": "string"}, "fields": {"type": "array", "items": _ref("FieldDescribe")},
                                "childRelationships": {"type": "array"}, "urls": {"type": "object"}}),
    "CompositeRequest": _object({"allOrNone": {"type": "boolean"}, "compositeRequest": {
        "type": "array", "items": _object({"method": {"type": "string"}, "url": {"type": "string"},
                                           "referenceId": {"type": "string"}, "body": {}},
                                          ["method", "url", "referenceId"])}}, ["compositeRequest"]),
    "CompositeResponse": _object({"compositeResponse": {"type": "array", "items": _object({
        "body": {}, "httpHeaders": {"type": "object"}, "httpStatusCode": {"type": "integer"},
        "referenceId": {"type": "string"}})}}),
    "SObjectCollection": _object({"allOrNone": {"type": "boolean"},
                                  "records": {"type": "array", "items": {"type": "object"}}}, ["records"]),
    "SObjectTree": _object({"records": {"type": "array", "items": {"type": "object"}, "maxItems": 200}}),
    "SObjectTreeResult": _object({"hasErrors": {"type": "boolean"}, "results": {"type": "array", "items": _object(
        {"referenceId": {"type": "string"}, "id": {"type": "string"},
         "errors": {"type": "array", "items": _ref("SaveError")}}, ["referenceId"])}}),
    "Links": {"type": "object", "additionalProperties": {"type": "string"}},
    "SObjectInfo": _object({"objectDescribe": _ref("SObjectSummary"), "recentItems": {"type": "array"}}),
    "RecordsOrNull": {"type": "array", "items": {"oneOf": [_ref("Record"), {"type": "null"}]}},
    "TokenResponse": _object({"access_token": {"type": "string"}, "instance_url": {"type": "string"},
                              "id": {"type": "string"}, "token_type": {"const": "Bearer"},
                              "issued_at": {"type": "string"}, "signature": {"type": "string"},
                              "refresh_token": {"type": "string"}, "scope": {"type": "string"}},
                             ["access_token", "instance_url", "id", "token_type", "issued_at"]),
    "OAuthError": _object({"error": {"type": "string"}, "error_description": {"type": "string"}}),
    "Introspection": _object({"active": {"type": "boolean"}}),
    "Identity": {"type": "object"},
    "Clock": {"type": "object"},
    "Outbox": _object({"messages": {"type": "array", "items": {"type": "object"}}}, ["messages"]),
    "Counts": {"type": "object", "additionalProperties": {"type": "integer"}},
    "OpenApi": _object({"openapi": {"type": "string"}, "paths": {"type": "object"}}, ["openapi", "paths"]),
}

ERRORS = {str(status): {"description": text, "content": {"application/json": {"schema": _ref("Errors")}}}
          for status, text in ((400, "Bad request"), (401, "Session expired or invalid"), (404, "Not found"))}


def _op(summary: str, status: int, schema: str | None, body: str | None = None,
        params: tuple[str, ...] = (), bad_request: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": summary}
    if schema:
        response["content"] = {"application/json": {"schema": _ref(schema)}}
    errors = dict(ERRORS)
    if bad_request is not None:
        errors["400"] = {"description": "Bad request", "content": {"application/json": {"schema": bad_request}}}
    operation: dict[str, Any] = {"summary": summary, "responses": {str(status): response, **errors}}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    if params:
        operation["parameters"] = [{"name": name, "in": "query", "required": name == "q",
                                    "schema": {"type": "string"}} for name in params]
    return operation


def _public(operation: dict[str, Any]) -> dict[str, Any]:
    """An operation that needs no bearer token."""
    return {**operation, "security": []}


def _oauth(summary: str, schema: str | None, *, form: bool = True) -> dict[str, Any]:
    """An OAuth endpoint: a form body, OAuth's own error shape (reference/api-surface.md §4); *schema* None for
    an empty 200 (revoke)."""
    success: dict[str, Any] = {"description": summary}
    if schema is not None:
        success["content"] = {"application/json": {"schema": _ref(schema)}}
    operation: dict[str, Any] = {"summary": summary, "security": [], "responses": {
        "200": success,
        "400": {"description": "OAuth error", "content": {"application/json": {"schema": _ref("OAuthError")}}},
        "429": {"description": "Too many failed logins from this address (Retry-After)",
                "content": {"application/json": {"schema": _ref("OAuthError")}}},
    }}
    if form:
        operation["requestBody"] = {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}
    return operation


def _xml(summary: str) -> dict[str, Any]:
    xml = {"text/xml": {"schema": {"type": "string"}}}
    return {"summary": summary, "security": [], "requestBody": {"required": True, "content": xml},
            "responses": {"200": {"description": summary, "content": xml},
                          "500": {"description": "SOAP fault", "content": xml}}}


def _html(summary: str) -> dict[str, Any]:
    return {"summary": summary, "security": [],
            "responses": {"200": {"description": summary, "content": {"text/html": {"schema": {"type": "string"}}}},
                          "302": {"description": "Redirect to the app's callback URL"}}}


BULK = _op("Bulk API 2.0 (answers FEATURE_NOT_ENABLED)", 400, "Errors")
RECORD = {
    "get": _op("Read a record", 200, "Record", params=("fields",)),
    "patch": _op("Update a record", 204, None, "Record"),
    "delete": _op("Delete a record", 204, None),
}
PATHS: dict[str, dict[str, Any]] = {
    "/services/data": {"get": _public(_op("API versions", 200, "Versions"))},
    V: {"get": _op("Resources of a version", 200, "ResourceMap")},
    f"{V}/limits": {"get": _op("Org limits", 200, "Limits")},
    f"{V}/actions": {"get": _op("Action kinds", 200, "Links")},
    f"{V}/actions/custom": {"get": _op("Custom action kinds", 200, "Links")},
    f"{V}/actions/custom/flow": {"get": _op("Flows the user may invoke", 200, "ActionList")},
    f"{V}/actions/custom/flow/{{name}}": {
        "get": _op("Describe a flow action", 200, "FlowDescribe"),
        "post": _op("Invoke a flow, one interview per input (400 with the same array when any fails)", 200,
                    "InvokeResults", "InvokeRequest",
                    bad_request={"oneOf": [_ref("InvokeResults"), _ref("Errors")]}),
    },
    f"{V}/actions/standard": {"get": _op("Standard actions", 200, "ActionList")},
    f"{V}/actions/custom/apex": {"get": _op("Apex-style actions", 200, "ActionList")},
    f"{V}/actions/standard/{{name}}": {
        "get": _op("Describe a standard action", 200, "FlowDescribe"),
        "post": _op("Invoke a standard action, one call per input", 200, "InvokeResults", "InvokeRequest",
                    bad_request={"oneOf": [_ref("InvokeResults"), _ref("Errors")]}),
    },
    f"{V}/actions/custom/apex/{{name}}": {
        "get": _op("Describe an Apex-style (Python) action", 200, "FlowDescribe"),
        "post": _op("Invoke an Apex-style (Python) action, one call per input", 200, "InvokeResults",
                    "InvokeRequest", bad_request={"oneOf": [_ref("InvokeResults"), _ref("Errors")]}),
    },
    f"{V}/sobjects": {"get": _op("Describe global", 200, "DescribeGlobal")},
    f"{V}/sobjects/{{sobject}}": {"get": _op("Object summary and recent items", 200, "SObjectInfo"),
                                  "post": _op("Create a record", 201, "SaveResult", "Record")},
    f"{V}/sobjects/{{sobject}}/describe": {"get": _op("Describe an object", 200, "SObjectDescribe")},
    f"{V}/sobjects/{{sobject}}/{{record_id}}": RECORD,
    f"{V}/sobjects/{{sobject}}/{{field}}/{{value}}": {
        "get": _op("Read a record by external id", 200, "Record", params=("fields",)),
        "patch": _op("Upsert by external id (201 created, 200 updated, 300 several matches)", 200, "SaveResult",
                     "Record"),
        "delete": _op("Delete a record by external id", 204, None),
    },
    f"{V}/query": {"get": _op("SOQL query", 200, "QueryResult", params=("q", "columns"))},
    f"{V}/queryAll": {"get": _op("SOQL query including deleted records", 200, "QueryResult", params=("q",))},
    f"{V}/query/{{locator}}": {"get": _op("Next page of a query (the session's own cursor)", 200, "QueryResult")},
    f"{V}/queryAll/{{locator}}": {"get": _op("Next page of a queryAll", 200, "QueryResult")},
    f"{V}/composite": {"get": _op("Composite resources", 200, "Links"),
                       "post": _op("Composite request", 200, "CompositeResponse", "CompositeRequest")},
    f"{V}/composite/tree/{{sobject}}": {
        "post": _op("Create record trees in one transaction (400 with hasErrors when one fails)", 201,
                    "SObjectTreeResult", "SObjectTree"),
    },
    f"{V}/composite/sobjects": {
        "post": _op("Create records", 200, "SaveResults", "SObjectCollection"),
        "patch": _op("Update records", 200, "SaveResults", "SObjectCollection"),
        "delete": _op("Delete records", 200, "SaveResults", params=("ids", "allOrNone")),
    },
    f"{V}/composite/sobjects/{{sobject}}": {
        "get": _op("Read records by id (null for one not found)", 200, "RecordsOrNull", params=("ids", "fields")),
    },
    f"{V}/composite/sobjects/{{sobject}}/{{field}}": {
        "patch": _op("Upsert records by external id", 200, "SaveResults", "SObjectCollection"),
    },
    f"{V}/tooling": {"get": _op("Tooling API resources", 200, "Links")},
    f"{V}/tooling/query": {"get": _op("Tooling query (Flow, FlowDefinition)", 200, "QueryResult", params=("q",))},
    f"{V}/tooling/query/{{locator}}": {"get": _op("Next page of a tooling query", 200, "QueryResult")},
    f"{V}/tooling/sobjects": {"get": _op("Tooling describe global", 200, "DescribeGlobal")},
    f"{V}/tooling/sobjects/{{sobject}}": {"get": _op("Tooling object summary", 200, "SObjectInfo")},
    f"{V}/tooling/sobjects/{{sobject}}/describe": {"get": _op("Describe a tooling object", 200, "SObjectDescribe")},
    f"{V}/tooling/sobjects/{{sobject}}/{{record_id}}": {
        "get": _op("Read a tooling record", 200, "Record"),
        "patch": _op("Update a tooling record (a flow version's status)", 204, None, "Record"),
    },
    f"{V}/jobs/{{path}}": {method: BULK for method in ("get", "post", "patch", "put", "delete")},
    "/openapi.json": {"get": _public(_op("This document", 200, "OpenApi"))},
    "/_flowforce/clock": {"get": _op("The org's clock", 200, "Clock"),
                          "post": _op("Freeze, move or release the org's clock", 200, "Clock", "Clock")},
    "/_flowforce/outbox": {"get": _op("What the org's flows sent or will send (administrators)", 200, "Outbox",
                                      params=("channel", "status", "recipient", "source", "limit"))},
    "/_flowforce/reset": {"post": _op("Empty the org's records and outboxes (administrators)", 200, "Counts")},
    "/services/oauth2/token": {"post": _oauth("Token endpoint (all grants)", "TokenResponse")},
    "/services/oauth2/revoke": {"get": _oauth("Revoke a token", None, form=False),
                                "post": _oauth("Revoke a token", None)},
    "/services/oauth2/introspect": {"post": _oauth("Introspect a token", "Introspection")},
    "/services/oauth2/userinfo": {"get": _op("OpenID Connect user info", 200, "Identity"),
                                  "post": _op("OpenID Connect user info", 200, "Identity")},
    "/services/oauth2/authorize": {"get": _html("Login page of the web-server flow"),
                                   "post": _html("Login form of the web-server flow")},
    "/id/{org_id}/{user_id}": {"get": _op("Identity of the token's user", 200, "Identity"),
                               "post": _op("Identity of the token's user", 200, "Identity")},
    "/services/Soap/u/{version}": {"post": _xml("SOAP partner login")},
    # The Metadata API's SOAP calls carry the session id in their SessionHeader, not as a bearer token.
    "/services/Soap/m/{version}": {"post": _xml("Metadata API (SOAP): deploy and its status")},
    "/services/Soap/m/{version}/{rest}": {"post": _xml("Metadata API (SOAP), org-id suffix")},
    f"{V}/metadata": {"get": _op("Metadata API resources", 200, "Links")},
    f"{V}/metadata/deployRequest": {
        "post": {**_op("Start a deploy (multipart: a zip and its options)", 201, "Identity"), "requestBody": {
            "required": True, "content": {"multipart/form-data": {"schema": {"type": "object"}}}}},
    },
    f"{V}/metadata/deployRequest/{{request_id}}": {"get": _op("A deploy's status and result", 200, "Identity")},
}
# simple_salesforce can only reach a custom host with a path prefix (reference/clients.md §2.1): same operations.
for _path in ("/services/oauth2/token", "/services/oauth2/revoke", "/services/Soap/u/{version}"):
    PATHS["/{prefix}" + _path] = PATHS[_path]


def document(default_version: str) -> dict[str, Any]:
    paths = {}
    for path, operations in PATHS.items():
        params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in ("prefix", "version", "name", "sobject", "record_id", "field", "value", "locator",
                               "path", "org_id", "user_id", "request_id", "rest")
                  if f"{{{name}}}" in path]
        paths[path] = {**operations, "parameters": params} if params else operations
    return {
        "openapi": "3.1.0",
        "info": {"title": "flowforce (Salesforce-compatible REST API)", "version": default_version},
        "components": {"schemas": SCHEMAS, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }


async def openapi(request: Request) -> Response:
    return json_response(document(request.app.state.server.settings.default_api_version))
