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
}

ERRORS = {str(status): {"description": text, "content": {"application/json": {"schema": _ref("Errors")}}}
          for status, text in ((400, "Bad request"), (401, "Session expired or invalid"), (404, "Not found"))}


def _op(summary: str, status: int, schema: str | None, body: str | None = None,
        params: tuple[str, ...] = ()) -> dict[str, Any]:
    response: dict[str, Any] = {"description": summary}
    if schema:
        response["content"] = {"application/json": {"schema": _ref(schema)}}
    operation: dict[str, Any] = {"summary": summary, "responses": {str(status): response, **ERRORS}}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    if params:
        operation["parameters"] = [{"name": name, "in": "query", "required": name == "q",
                                    "schema": {"type": "string"}} for name in params]
    return operation


PATHS: dict[str, dict[str, Any]] = {
    "/services/data": {"get": _op("API versions", 200, "Versions")},
    V: {"get": _op("Resources of a version", 200, "ResourceMap")},
    f"{V}/limits": {"get": _op("Org limits", 200, "Limits")},
    f"{V}/actions/custom/flow": {"get": _op("Flows the user may invoke", 200, "ActionList")},
    f"{V}/actions/custom/flow/{{name}}": {
        "get": _op("Describe a flow action", 200, "FlowDescribe"),
        "post": _op("Invoke a flow, one interview per input (400 when any fails)", 200, "InvokeResults",
                    "InvokeRequest"),
    },
    f"{V}/actions/standard": {"get": _op("Standard actions", 200, "ActionList")},
    f"{V}/actions/custom/apex": {"get": _op("Apex-style actions", 200, "ActionList")},
    f"{V}/sobjects": {"get": _op("Describe global", 200, "DescribeGlobal")},
    f"{V}/sobjects/{{sobject}}": {"post": _op("Create a record", 201, "SaveResult", "Record")},
    f"{V}/sobjects/{{sobject}}/describe": {"get": _op("Describe an object", 200, "SObjectDescribe")},
    f"{V}/sobjects/{{sobject}}/{{id}}": {
        "get": _op("Read a record", 200, "Record", params=("fields",)),
        "patch": _op("Update a record", 204, None, "Record"),
        "delete": _op("Delete a record", 204, None),
    },
    f"{V}/sobjects/{{sobject}}/{{field}}/{{value}}": {
        "patch": _op("Upsert by external id (201 created, 200 updated, 300 several matches)", 200, "SaveResult",
                     "Record"),
    },
    f"{V}/query": {"get": _op("SOQL query", 200, "QueryResult", params=("q",))},
    f"{V}/queryAll": {"get": _op("SOQL query including deleted records", 200, "QueryResult", params=("q",))},
    f"{V}/query/{{locator}}": {"get": _op("Next page of a query", 200, "QueryResult")},
    f"{V}/composite": {"post": _op("Composite request", 200, "CompositeResponse", "CompositeRequest")},
    f"{V}/composite/tree/{{sobject}}": {
        "post": _op("Create record trees in one transaction (400 with hasErrors when one fails)", 201,
                    "SObjectTreeResult", "SObjectTree"),
    },
    f"{V}/composite/sobjects": {
        "post": _op("Create records", 200, "SaveResults", "SObjectCollection"),
        "patch": _op("Update records", 200, "SaveResults", "SObjectCollection"),
        "delete": _op("Delete records", 200, "SaveResults", params=("ids", "allOrNone")),
    },
}


def document(default_version: str) -> dict[str, Any]:
    paths = {}
    for path, operations in PATHS.items():
        params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in ("version", "name", "sobject", "id", "field", "value", "locator")
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
