"""The served OpenAPI document describes the real responses: live bodies validate against its schemas."""

from __future__ import annotations

from typing import Any

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from .conftest import Api


def validator(document: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(document))
    return jsonschema.Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{name}"}, registry=registry)


def test_document_lists_the_salesforce_routes(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]["/services/data/v{version}/actions/custom/flow/{name}"]) >= {"get", "post"}
    assert "/services/data/v{version}/query" in document["paths"]


def test_live_responses_match_the_schemas(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    account = api.create("Account", Name="Schema")
    samples = {
        "Versions": api.client.get("/services/data").json(),
        "Limits": api.get("limits").json(),
        "ActionList": api.get("actions/custom/flow").json(),
        "FlowDescribe": api.get("actions/custom/flow/Types_Flow").json(),
        "InvokeResults": api.post("actions/custom/flow/Add_Numbers", json={"inputs": [{"a": 1}, {"x": 1}]}).json(),
        "DescribeGlobal": api.get("sobjects").json(),
        "SObjectDescribe": api.get("sobjects/Account/describe").json(),
        "Record": api.get(f"sobjects/Account/{account}").json(),
        "QueryResult": api.get("query", params={"q": "SELECT Id FROM Account"}).json(),
        "Errors": api.get("query", params={"q": "SELECT"}).json(),
        "SaveResults": api.post("composite/sobjects", json={"records": [{"attributes": {"type": "Account"}}]}).json(),
        "SObjectTreeResult": api.post("composite/tree/Account", json={"records": [
            {"attributes": {"type": "Account", "referenceId": "ref1"}, "Name": "Tree"}]}).json(),
    }
    for name, body in samples.items():
        validator(document, name).validate(body)
