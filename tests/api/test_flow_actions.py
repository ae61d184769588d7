"""Flows as invocable actions: list, describe, invoke (reference/api-surface.md §1, confirmations.md §1–5)."""

from __future__ import annotations

import re
from typing import Any

from .conftest import Api

GUID = re.compile(r"^[0-9a-f]{38}-[0-9a-f]{4}$")
NOT_FOUND = [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]


def invoke(api: Api, flow: str, *inputs: dict[str, Any]) -> Any:
    return api.post(f"actions/custom/flow/{flow}", json={"inputs": list(inputs)})


def success(outputs: dict[str, Any], action: str = "Add_Numbers") -> dict[str, Any]:
    return {"actionName": action, "errors": None, "invocationId": None, "isSuccess": True, "outcome": None,
            "outputValues": outputs, "sortOrder": -1, "version": 1}


def without_guid(entry: dict[str, Any]) -> dict[str, Any]:
    outputs = entry["outputValues"]
    assert GUID.match(outputs.pop("Flow__InterviewGuid"))
    return entry


def test_action_indexes(api: Api) -> None:
    assert api.get("actions").json() == {"standard": "/services/data/v66.0/actions/standard",
                                         "custom": "/services/data/v66.0/actions/custom"}
    assert api.get("actions/custom").json() == {"flow": "/services/data/v66.0/actions/custom/flow",
                                                "apex": "/services/data/v66.0/actions/custom/apex"}
    standard = api.get("actions/standard").json()["actions"]
    assert [(action["name"], action["type"]) for action in standard] == [
        ("activateSessionPermSet", "ACTIVATESESSIONPERMSET"), ("chatterPost", "CHATTERPOST"),
        ("customNotificationAction", "CUSTOMNOTIFICATIONACTION"), ("emailSimple", "EMAILSIMPLE"),
        ("generateVerificationCode", "GENERATEVERIFICATIONCODE"), ("sendSmsMessage", "SENDSMSMESSAGE")]
    assert standard[3] == {"label": "Send Email", "name": "emailSimple", "type": "EMAILSIMPLE",
                           "url": "/services/data/v66.0/actions/standard/emailSimple"}
    assert api.get("actions/custom/apex").json() == {"actions": []}


def test_list_shows_active_autolaunched_flows_only(api: Api) -> None:
    body = api.get("actions/custom/flow").json()
    names = [action["name"] for action in body["actions"]]
    assert names == ["Add_Numbers", "Contact_For_Account", "Escalate_to_Case", "Limit_Flow", "Types_Flow"]
    assert body["actions"][0] == {"label": "Add Numbers", "name": "Add_Numbers", "type": "FLOW",
                                  "url": "/services/data/v66.0/actions/custom/flow/Add_Numbers"}


def test_describe_exact_body(api: Api) -> None:
    body = api.get("actions/custom/flow/Add_Numbers").json()
    number = {"apexClass": None, "byteLength": 0, "maxOccurs": 1, "picklistValues": None, "required": False,
              "sobjectType": None, "type": "DOUBLE"}
    assert body["inputs"] == [
        {**number, "description": "First addend", "label": "a", "name": "a"},
        {**number, "description": None, "label": "b", "name": "b"},
        {**number, "description": None, "label": "tags", "maxOccurs": 2000, "name": "tags", "type": "STRING"},
    ]
    assert [output["name"] for output in body["outputs"]] == ["total", "tags", "Flow__InterviewGuid",
                                                             "Flow__InterviewStatus"]
    assert body["outputs"][0] == {"apexClass": None, "description": None, "label": "total", "maxOccurs": 1,
                                  "name": "total", "picklistValues": None, "sobjectType": None, "type": "DOUBLE"}
    status = body["outputs"][3]
    assert status["type"] == "PICKLIST"
    assert [value["value"] for value in status["picklistValues"]] == ["Created", "Started", "Finished", "Error",
                                                                       "Waiting"]
    assert {key: body[key] for key in ("name", "label", "description", "type", "durableId", "targetEntityName")} == {
        "name": "Add_Numbers", "label": "Add Numbers", "description": "Adds two numbers.", "type": "FLOW",
        "durableId": "Add_Numbers", "targetEntityName": None}
    assert list(body) == sorted(body)


def test_describe_types(api: Api) -> None:
    inputs = {entry["name"]: entry for entry in api.get("actions/custom/flow/Types_Flow").json()["inputs"]}
    assert {name: entry["type"] for name, entry in inputs.items()} == {
        "amount": "CURRENCY", "day": "DATE", "stamp": "DATETIME", "flag": "BOOLEAN", "acct": "SOBJECT",
        "accts": "SOBJECT"}
    assert (inputs["acct"]["sobjectType"], inputs["acct"]["maxOccurs"]) == ("Account", 1)
    assert (inputs["accts"]["sobjectType"], inputs["accts"]["maxOccurs"]) == ("Account", 2000)


def test_describe_allows_head(api: Api) -> None:
    response = api.request("HEAD", "actions/custom/flow/Add_Numbers")
    assert response.status_code == 200
    assert response.content == b""


def test_unknown_and_screen_flows_are_not_found(api: Api) -> None:
    for name in ("No_Such_Flow", "Screen_Flow"):
        assert api.get(f"actions/custom/flow/{name}").json() == NOT_FOUND
        response = invoke(api, name, {})
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_flow_without_active_version_runs_its_latest(api: Api) -> None:
    response = invoke(api, "Draft_Flow", {})
    assert response.status_code == 200
    assert response.json()[0]["outputValues"]["answer"] == "latest"


def test_invoke_one_input(api: Api) -> None:
    response = invoke(api, "Add_Numbers", {"a": 1.25, "b": 2, "tags": ["x"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json;charset=UTF-8"
    assert [without_guid(entry) for entry in response.json()] == [
        success({"total": 3.25, "tags": ["x"], "Flow__InterviewStatus": "Finished"})]


def test_invoke_several_inputs_in_order_with_unset_outputs_null(api: Api) -> None:
    body = invoke(api, "Add_Numbers", {"a": 1, "b": 1}, {"a": 10, "b": 5}, {}).json()
    assert [entry["outputValues"]["total"] for entry in body] == [2, 15, None]
    assert body[0]["outputValues"]["tags"] is None
    assert len({entry["outputValues"]["Flow__InterviewGuid"] for entry in body}) == 3


def test_unknown_input_fails_that_interview_only(api: Api) -> None:
    response = invoke(api, "Add_Numbers", {"a": 1, "b": 1}, {"foo": "bar"}, {"total": 3})
    assert response.status_code == 400
    first, unknown, not_input = response.json()
    assert first["isSuccess"] is True
    message = "The flow doesn't have a variable with the name {}, or the variable doesn't allow input access."
    for entry, name in ((unknown, "foo"), (not_input, "total")):
        assert entry == {"actionName": None, "errors": [{"statusCode": "UNKNOWN_EXCEPTION",
                                                         "message": message.format(name), "fields": []}],
                         "invocationId": None, "isSuccess": False, "outcome": None, "outputValues": None,
                         "sortOrder": -1, "version": 1}


def test_coercion_error_names_the_input(api: Api) -> None:
    entry = invoke(api, "Add_Numbers", {"a": "lots", "b": 1}).json()[0]
    assert entry["isSuccess"] is False
    assert entry["errors"][0]["statusCode"] == "UNKNOWN_EXCEPTION"
    assert entry["errors"][0]["message"].startswith("The input variable a expects a Number")


def test_sobject_and_collection_inputs_as_json(api: Api) -> None:
    inputs = {"acct": {"attributes": {"type": "Account"}, "Name": "Acme"}, "accts": [{"Name": "B"}],
              "amount": 12.5, "day": "2024-02-29", "stamp": "2024-02-29T10:00:00.000+0000", "flag": True}
    response = invoke(api, "Types_Flow", inputs)
    assert response.status_code == 200, response.text
    assert response.json()[0]["outputValues"]["acctName"] == "Acme"


def test_sobject_input_of_the_wrong_type_fails(api: Api) -> None:
    entry = invoke(api, "Types_Flow", {"acct": {"attributes": {"type": "Contact"}, "LastName": "X"}}).json()[0]
    assert "The input variable acct expects a Account record" in entry["errors"][0]["message"]


def test_malformed_bodies_are_json_parser_errors(api: Api) -> None:
    cases = [
        (b"{bad", "Unexpected character ('b' (code 98)): expected a valid value (number, String, array, object, "
                  "'true', 'false' or 'null') at [line:1, column:2]"),
        (b"", "No content to map due to end-of-input"),
        (b'{"other": 1}', "Missing required 'inputs' parameter."),
        (b'{"inputs": {"a": 1}}', "Cannot deserialize instance of List<Map<String,ANY>> from START_OBJECT value { or "
                                  "request may be missing a required field at [line:1, column:1]"),
        (b'{"inputs": [1]}', "Cannot deserialize instance of Map<String,ANY> from VALUE_NUMBER_INT value 1 or "
                             "request may be missing a required field at [line:1, column:1]"),
    ]
    for raw, message in cases:
        response = api.post("actions/custom/flow/Add_Numbers", content=raw,
                            headers={"Content-Type": "application/json"})
        assert response.status_code == 400, raw
        assert response.json() == [{"message": message, "errorCode": "JSON_PARSER_ERROR"}]


def test_user_without_a_share_gets_insufficient_access_and_nothing_runs(user_api: Api) -> None:
    assert user_api.get("actions/custom/flow").json() == {"actions": []}
    before = len(user_api.soql("SELECT Id FROM Contact"))
    account = user_api.create("Account", Name="Shared Co")
    response = invoke(user_api, "Contact_For_Account", {"AccountId": account})
    assert response.status_code == 403
    assert response.json() == [{"message": "You don't have access to this flow.", "errorCode": "INSUFFICIENT_ACCESS"}]
    assert len(user_api.soql("SELECT Id FROM Contact")) == before


def test_shared_flow_is_listed_and_runs(user_api: Api) -> None:
    user_api.org.auth.share_flow("Add_Numbers", "user@flowforce.test")  # type: ignore[attr-defined]
    names = [action["name"] for action in user_api.get("actions/custom/flow").json()["actions"]]
    assert names == ["Add_Numbers"]
    assert invoke(user_api, "Add_Numbers", {"a": 1, "b": 2}).status_code == 200
