"""The Metadata API's deploy over REST (`metadata/deployRequest`, multipart, what jsforce's deployRest sends) and
SOAP (`deploy` + `checkDeployStatus` on /services/Soap/m): a deployed flow becomes the next version, activated when
its file says Active, and the next invoke runs it; a broken flow fails with its component failure; check-only
changes nothing; bad packages (not a zip, a zip bomb) fail the deploy and leave the org as it was."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from flowforce.runtime.deploy_package import MAX_TOTAL_BYTES

from .conftest import ADMIN, VERSION, Api
from .metadata_packages import (
    broken_add_numbers,
    flow_package,
    package_xml,
    subtracting_add_numbers,
    zip_bomb,
    zip_of,
)


def rest_deploy(api: Api, package: bytes, **options: Any) -> Any:
    files = {"file": ("package.xml", package, "application/zip"),
             "entity_content": (None, json.dumps({"deployOptions": {"singlePackage": True, **options}}),
                                "application/json")}
    response = api.post("metadata/deployRequest", files=files)
    assert response.status_code == 201, response.text
    request_id = response.json()["id"]
    status = api.get(f"metadata/deployRequest/{request_id}", params={"includeDetails": "true"})
    assert status.status_code == 200, status.text
    return status.json()["deployResult"]


def total(api: Api, a: int = 5, b: int = 2) -> Any:
    response = api.post("actions/custom/flow/Add_Numbers", json={"inputs": [{"a": a, "b": b}]})
    assert response.status_code == 200, response.text
    return response.json()[0]["outputValues"]["total"]


def versions(api: Api) -> list[tuple[int, str]]:
    rows = api.soql("SELECT VersionNumber, Status FROM Flow WHERE ApiName = 'Add_Numbers' ORDER BY VersionNumber")
    return [(row["VersionNumber"], row["Status"]) for row in rows]


def test_rest_deploy_adds_and_activates_a_version_the_next_invoke_runs(dml_api: Api) -> None:
    api = dml_api
    assert total(api) == 7
    result = rest_deploy(api, flow_package({"Add_Numbers": subtracting_add_numbers()}))
    assert (result["status"], result["success"], result["done"], result["checkOnly"]) == ("Succeeded", True, True,
                                                                                          False)
    assert (result["numberComponentsTotal"], result["numberComponentsDeployed"], result["numberComponentErrors"]) \
        == (1, 1, 0)
    flows = [item for item in result["details"]["componentSuccesses"] if item["componentType"] == "Flow"]
    assert [(item["fullName"], item["fileName"], item["changed"], item["created"]) for item in flows] == [
        ("Add_Numbers", "flows/Add_Numbers.flow", True, False)]
    assert result["details"]["componentFailures"] == []
    assert versions(api) == [(1, "Obsolete"), (2, "Active")]
    assert total(api) == 3


def test_a_draft_deploys_as_the_latest_version_without_activation(api: Api) -> None:
    rest_deploy(api, flow_package({"Add_Numbers": subtracting_add_numbers("Draft")}))
    assert versions(api) == [(1, "Active"), (2, "Draft")]
    assert total(api) == 7


def test_the_same_xml_again_adds_no_version(api: Api) -> None:
    rest_deploy(api, flow_package({"Add_Numbers": subtracting_add_numbers()}))
    again = rest_deploy(api, flow_package({"Add_Numbers": subtracting_add_numbers()}))
    [flow] = [item for item in again["details"]["componentSuccesses"] if item["componentType"] == "Flow"]
    assert (flow["changed"], flow["created"]) == (False, False)
    assert versions(api) == [(1, "Obsolete"), (2, "Active")]


def test_a_new_flow_is_created(api: Api) -> None:
    xml = subtracting_add_numbers().replace(b"<label>Add Numbers</label>", b"<label>Brand New</label>")
    result = rest_deploy(api, flow_package({"Brand_New": xml}))
    [flow] = [item for item in result["details"]["componentSuccesses"] if item["componentType"] == "Flow"]
    assert (flow["fullName"], flow["created"], flow["changed"]) == ("Brand_New", True, False)
    [row] = api.soql("SELECT ApiName, Label, Status, VersionNumber FROM Flow WHERE ApiName = 'Brand_New'")
    assert (row["Label"], row["Status"], row["VersionNumber"]) == ("Brand New", "Active", 1)
    response = api.post("actions/custom/flow/Brand_New", json={"inputs": [{"a": 1, "b": 4}]})
    assert response.json()[0]["outputValues"]["total"] == -3


def test_a_broken_flow_fails_the_deploy_with_its_component_failure(dml_api: Api) -> None:
    api = dml_api
    good = subtracting_add_numbers().replace(b"<label>Add Numbers</label>", b"<label>Other</label>")
    result = rest_deploy(api, flow_package({"Add_Numbers": broken_add_numbers(), "Other_Flow": good}))
    assert (result["status"], result["success"], result["numberComponentErrors"]) == ("Failed", False, 1)
    [failure] = result["details"]["componentFailures"]
    assert {key: failure[key] for key in ("componentType", "fullName", "fileName", "problemType", "success",
                                          "lineNumber")} == {
        "componentType": "Flow", "fullName": "Add_Numbers", "fileName": "flows/Add_Numbers.flow",
        "problemType": "Error", "success": False, "lineNumber": 8}
    assert "missing" in failure["problem"] and failure["columnNumber"] > 1
    # rollbackOnError (the default): nothing deployed, not even the good flow
    assert versions(api) == [(1, "Active")]
    assert api.soql("SELECT Id FROM Flow WHERE ApiName = 'Other_Flow'") == []
    assert total(api) == 7


def test_without_rollback_on_error_the_good_components_deploy(api: Api) -> None:
    good = subtracting_add_numbers().replace(b"<label>Add Numbers</label>", b"<label>Other</label>")
    result = rest_deploy(api, flow_package({"Add_Numbers": broken_add_numbers(), "Other_Flow": good}),
                         rollbackOnError=False)
    assert (result["status"], result["success"]) == ("SucceededPartial", True)
    assert versions(api) == [(1, "Active")]
    assert len(api.soql("SELECT Id FROM Flow WHERE ApiName = 'Other_Flow'")) == 1


def test_check_only_validates_and_changes_nothing(api: Api) -> None:
    result = rest_deploy(api, flow_package({"Add_Numbers": subtracting_add_numbers()}), checkOnly=True)
    assert (result["status"], result["checkOnly"], result["numberComponentsDeployed"]) == ("Succeeded", True, 1)
    assert versions(api) == [(1, "Active")]
    failed = rest_deploy(api, flow_package({"Add_Numbers": broken_add_numbers()}), checkOnly=True)
    assert failed["status"] == "Failed" and failed["details"]["componentFailures"][0]["lineNumber"] == 8


def test_unsupported_types_and_missing_files_are_component_failures(api: Api) -> None:
    result = rest_deploy(api, zip_of({"package.xml": package_xml({"Flow": ["Gone"], "ApexClass": ["Foo"]})}))
    failures = {(item["componentType"], item["fullName"]): item["problem"]
                for item in result["details"]["componentFailures"]}
    assert failures == {
        ("Flow", "Gone"): "An object 'Gone' of type Flow was named in package.xml, but was not found in zipped "
                          "directory",
        ("ApexClass", "Foo"): "flowforce does not deploy ApexClass components: only Flow, FlowDefinition, "
                              "CustomObject, CustomField"}
    assert result["status"] == "Failed"


@pytest.mark.parametrize(("package", "message"), [
    (b"not a zip", "The zip file is not a valid zip archive"),
    (zip_of({"flows/X.flow": b"<Flow/>"}), "No package.xml found"),
    (zip_of({"package.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><Package/>'}),
     "package.xml: DOCTYPE and ENTITY declarations are not allowed in metadata files"),
])
def test_unusable_packages_fail_the_deploy(api: Api, package: bytes, message: str) -> None:
    result = rest_deploy(api, package)
    assert (result["status"], result["errorMessage"]) == ("Failed", message)
    [failure] = result["details"]["componentFailures"]
    assert (failure["fileName"], failure["problem"]) == ("package.xml", message)
    assert versions(api) == [(1, "Active")]


def test_a_zip_bomb_is_refused_without_being_inflated(api: Api) -> None:
    bomb = zip_bomb(MAX_TOTAL_BYTES + 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    result = rest_deploy(api, bomb)
    assert result["status"] == "Failed"
    assert result["errorMessage"] == "flows/Bomb.flow: the entry is larger than the limit once uncompressed"


def test_deploy_requests_are_for_flow_administrators(user_api: Api) -> None:
    response = user_api.post("metadata/deployRequest", files={"file": ("package.xml", b"x", "application/zip")})
    assert response.status_code == 403
    assert response.json()[0]["errorCode"] == "INSUFFICIENT_ACCESS"
    assert user_api.get("metadata/deployRequest/0Af000000000000AAA").status_code == 403


def test_unknown_deploy_request_is_not_found(api: Api) -> None:
    response = api.get("metadata/deployRequest/0Af000000000000AAA")
    assert (response.status_code, response.json()) == (404, [{"errorCode": "NOT_FOUND",
                                                               "message": "The requested resource does not exist"}])


# --- SOAP ------------------------------------------------------------------------------------------------------


def soap(api: Api, operation: str, body: str, session: str | None = None) -> Any:
    envelope = (
        '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
        'envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Header '
        'xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>'
        f"{session if session is not None else api.token}</sessionId></SessionHeader></soapenv:Header>"
        f'<soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata"><{operation}>{body}</{operation}>'
        "</soapenv:Body></soapenv:Envelope>")
    return api.client.post(f"/services/Soap/m/{VERSION}", content=envelope,
                           headers={"Content-Type": "text/xml", "SOAPAction": '""'})


def tag(text: str, name: str) -> str:
    found = re.search(f"<{name}>(.*?)</{name}>", text, re.S)
    assert found is not None, text
    return found.group(1)


def test_soap_deploy_and_check_deploy_status(dml_api: Api) -> None:
    api = dml_api
    package = base64.b64encode(flow_package({"Add_Numbers": subtracting_add_numbers()})).decode()
    started = soap(api, "deploy", f"<ZipFile>{package}</ZipFile><DeployOptions><rollbackOnError>true"
                                  "</rollbackOnError><singlePackage>true</singlePackage></DeployOptions>")
    assert started.status_code == 200, started.text
    assert re.search(r"<soapenv:Body><deployResponse><result><done>true</done><id>0Af\w{15}</id><state>Completed"
                     r"</state></result></deployResponse></soapenv:Body>", started.text), started.text
    request_id = tag(started.text, "id")
    status = soap(api, "checkDeployStatus", f"<asyncProcessId>{request_id}</asyncProcessId>"
                                            "<includeDetails>true</includeDetails>")
    assert status.status_code == 200
    assert (tag(status.text, "status"), tag(status.text, "success"), tag(status.text, "done")) == (
        "Succeeded", "true", "true")
    success = tag(status.text, "componentSuccesses")
    assert "<componentType></componentType>" in success or "<fullName>package.xml</fullName>" in success
    assert "<fullName>Add_Numbers</fullName>" in status.text
    assert versions(api) == [(1, "Obsolete"), (2, "Active")]
    assert total(api) == 3


def test_soap_deploy_failure_names_file_line_and_problem(api: Api) -> None:
    package = base64.b64encode(flow_package({"Add_Numbers": broken_add_numbers()})).decode()
    request_id = tag(soap(api, "deploy", f"<ZipFile>{package}</ZipFile>").text, "id")
    status = soap(api, "checkDeployStatus", f"<asyncProcessId>{request_id}</asyncProcessId>"
                                            "<includeDetails>true</includeDetails>").text
    failure = tag(status, "componentFailures")
    assert (tag(failure, "fileName"), tag(failure, "lineNumber"), tag(failure, "problemType")) == (
        "flows/Add_Numbers.flow", "8", "Error")
    assert tag(status, "status") == "Failed" and tag(status, "numberComponentErrors") == "1"


def test_soap_faults(api: Api) -> None:
    bad = soap(api, "checkDeployStatus", "<asyncProcessId>x</asyncProcessId>", session="nope")
    assert bad.status_code == 500
    assert "<faultcode>sf:INVALID_SESSION_ID</faultcode>" in bad.text
    unknown = soap(api, "frobnicate", "")
    assert "<faultcode>sf:INVALID_OPERATION</faultcode>" in unknown.text
    xxe = api.client.post(f"/services/Soap/m/{VERSION}", content='<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e '
                          'SYSTEM "file:///etc/passwd">]><x>&e;</x>', headers={"Content-Type": "text/xml"})
    assert xxe.status_code == 500 and "<faultcode>sf:INVALID_SOAP</faultcode>" in xxe.text
    assert "root:" not in xxe.text


def test_admin_user_is_named_in_results(api: Api) -> None:
    result = rest_deploy(api, flow_package({"Add_Numbers": subtracting_add_numbers("Draft")}))
    assert result["createdByName"] and result["createdBy"].startswith("005")
    assert ADMIN


def test_unreadable_flow_files_fail_at_the_parsers_line(api: Api) -> None:
    malformed = b'<?xml version="1.0" encoding="UTF-8"?>\n<Flow xmlns="http://soap.sforce.com/2006/04/metadata">\n' \
                b"  <label>x</Flow>\n"
    entity = b'<?xml version="1.0"?>\n<!DOCTYPE Flow [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<Flow>&x;</Flow>'
    result = rest_deploy(api, flow_package({"Malformed": malformed, "Entity": entity}))
    failures = {item["fullName"]: item for item in result["details"]["componentFailures"]}
    assert (failures["Malformed"]["lineNumber"], failures["Malformed"]["columnNumber"]) == (3, 18)
    assert failures["Malformed"]["problem"].startswith("not well-formed XML: Opening and ending tag mismatch")
    assert "DOCTYPE and ENTITY declarations are not allowed" in failures["Entity"]["problem"]
    assert "root:" not in json.dumps(result)
    assert api.soql("SELECT Id FROM Flow WHERE ApiName IN ('Malformed', 'Entity')") == []


def definition_package(flows: dict[str, bytes], definitions: dict[str, int]) -> bytes:
    files = {f"flows/{name}.flow": data for name, data in flows.items()}
    files.update({f"flowDefinitions/{name}.flowDefinition": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<FlowDefinition xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        f"    <activeVersionNumber>{number}</activeVersionNumber>\n</FlowDefinition>\n").encode()
        for name, number in definitions.items()})
    members = {"Flow": sorted(flows), "FlowDefinition": sorted(definitions)}
    return zip_of({"package.xml": package_xml({kind: names for kind, names in members.items() if names}), **files})


def test_flow_definitions_activate_the_version_they_name(api: Api) -> None:
    draft = definition_package({"Add_Numbers": subtracting_add_numbers("Draft")}, {"Add_Numbers": 2})
    assert rest_deploy(api, draft)["status"] == "Succeeded"
    assert versions(api) == [(1, "Obsolete"), (2, "Active")]
    assert total(api) == 3
    assert rest_deploy(api, definition_package({}, {"Add_Numbers": 0}))["status"] == "Succeeded"
    assert versions(api) == [(1, "Obsolete"), (2, "Obsolete")]
    failed = rest_deploy(api, definition_package({}, {"Add_Numbers": 7}))
    [failure] = failed["details"]["componentFailures"]
    assert (failure["componentType"], failure["problem"], failure["lineNumber"]) == (
        "FlowDefinition", "The flow Add_Numbers has no version 7 to activate", 3)


def test_soap_metadata_calls_are_for_flow_administrators(user_api: Api) -> None:
    response = soap(user_api, "checkDeployStatus", "<asyncProcessId>0Af000000000000AAA</asyncProcessId>")
    assert response.status_code == 500
    assert "<faultcode>sf:INSUFFICIENT_ACCESS</faultcode>" in response.text
