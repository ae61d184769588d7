"""Deployed objects and fields (CustomObject, CustomField in `objects/Name.object`): the schema grows at once and
after a restart, records use the new fields; a type change is refused as a component failure at the field's line,
leaving the schema and the data as they were; check-only changes nothing; retrieve gives the XML back."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from flowforce.api.app import create_app

from .conftest import Api, make_settings, open_org, token_for
from .metadata_packages import field_xml, flow_package, object_file, schema_package, subtracting_add_numbers
from .test_metadata_deploy import rest_deploy, soap, tag

GADGET = object_file(field_xml("Size__c", "Number", "<precision>10</precision><scale>2</scale>")
                     + field_xml("Colour__c", "Text", "<length>20</length>"), label="Gadget")
TIER = object_file(field_xml("Tier__c", "Text", "<length>10</length>"))
TIER_AS_NUMBER = object_file("\n" + field_xml("Tier__c", "Number", "<precision>5</precision><scale>0</scale>"))


def describe_fields(api: Api, sobject: str) -> dict[str, str]:
    response = api.get(f"sobjects/{sobject}/describe")
    assert response.status_code == 200, response.text
    return {field["name"]: field["type"] for field in response.json()["fields"]}


def deploy_schema(api: Api, **options: Any) -> Any:
    package = schema_package({"Gadget__c": GADGET, "Account": TIER},
                             {"CustomObject": ["Gadget__c"], "CustomField": ["Account.Tier__c"]})
    return rest_deploy(api, package, **options)


def test_deployed_object_and_field_are_served_at_once(dml_api: Api) -> None:
    api = dml_api
    result = deploy_schema(api)
    assert result["status"] == "Succeeded", result
    components = {(item["componentType"], item["fullName"]): (item["created"], item["changed"])
                  for item in result["details"]["componentSuccesses"] if item["componentType"]}
    assert components == {("CustomObject", "Gadget__c"): (True, False), ("CustomField", "Gadget__c.Size__c"): (
        True, False), ("CustomField", "Gadget__c.Colour__c"): (True, False), ("CustomField", "Account.Tier__c"): (
        True, False)}
    gadget = api.create("Gadget__c", Name="Widget", Size__c=2.5, Colour__c="red")
    [row] = api.soql(f"SELECT Name, Size__c, Colour__c FROM Gadget__c WHERE Id = '{gadget}'")
    assert (row["Name"], row["Size__c"], row["Colour__c"]) == ("Widget", 2.5, "red")
    assert describe_fields(api, "Account")["Tier__c"] == "string"
    account = api.create("Account", Name="Tiered", Tier__c="Gold")
    assert api.soql(f"SELECT Tier__c FROM Account WHERE Id = '{account}'")[0]["Tier__c"] == "Gold"


def test_the_deployed_schema_survives_a_restart(project_dir: Path, tmp_path: Path) -> None:
    settings = make_settings(project_dir, f"sqlite:///{tmp_path / 'store.db'}")
    from starlette.testclient import TestClient

    for step in ("deploy", "restart"):
        org = open_org(settings)
        try:
            client = TestClient(create_app(settings, org=org))
            api = Api(client, token_for(client), org)
            if step == "deploy":
                assert deploy_schema(api)["status"] == "Succeeded"
                api.create("Gadget__c", Name="Kept", Size__c=1)
            else:
                assert describe_fields(api, "Gadget__c")["Size__c"] == "double"
                assert [row["Name"] for row in api.soql("SELECT Name FROM Gadget__c")] == ["Kept"]
        finally:
            org.close()


def test_a_type_change_is_refused_and_the_data_kept(api: Api) -> None:
    assert deploy_schema(api)["status"] == "Succeeded"
    account = api.create("Account", Name="Tiered", Tier__c="Gold")
    result = rest_deploy(api, schema_package({"Account": TIER_AS_NUMBER}, {"CustomField": ["Account.Tier__c"]}))
    assert result["status"] == "Failed"
    [failure] = result["details"]["componentFailures"]
    assert {key: failure[key] for key in ("componentType", "fullName", "fileName", "lineNumber", "problemType")} == {
        "componentType": "CustomField", "fullName": "Account.Tier__c", "fileName": "objects/Account.object",
        "lineNumber": 5, "problemType": "Error"}  # the <fields> line
    assert failure["problem"] == ("Cannot change the type of Account.Tier__c from string to double: flowforce only "
                                  "adds fields, so the data it holds is kept")
    assert describe_fields(api, "Account")["Tier__c"] == "string"
    assert api.soql(f"SELECT Tier__c FROM Account WHERE Id = '{account}'")[0]["Tier__c"] == "Gold"


def test_check_only_schema_deploy_changes_nothing(api: Api) -> None:
    result = deploy_schema(api, checkOnly=True)
    assert (result["status"], result["checkOnly"]) == ("Succeeded", True)
    assert api.get("sobjects/Gadget__c/describe").status_code == 404
    assert "Tier__c" not in describe_fields(api, "Account")


def test_a_flow_may_use_a_field_deployed_with_it(api: Api) -> None:
    flow = subtracting_add_numbers().replace(b"<label>Add Numbers</label>", b"<label>Uses Tier</label>").replace(
        b"<targetReference>Start_Here</targetReference></connector></start>",
        b"<targetReference>Find</targetReference></connector></start>").replace(
        b"<variables><name>b</name>", b"<variables><name>acct</name><dataType>SObject</dataType><isCollection>false"
        b"</isCollection><isInput>true</isInput><isOutput>false</isOutput><objectType>Account</objectType>"
        b"</variables><recordLookups><name>Find</name><label>Find</label><locationX>0</locationX><locationY>0"
        b"</locationY><object>Account</object><filterLogic>and</filterLogic><filters><field>Tier__c</field>"
        b"<operator>EqualTo</operator><value><stringValue>Gold</stringValue></value></filters>"
        b"<connector><targetReference>Start_Here</targetReference></connector>"
        b"<getFirstRecordOnly>true</getFirstRecordOnly><outputReference>acct</outputReference><queriedFields>Id"
        b"</queriedFields></recordLookups><variables><name>b</name>")
    package = zip_with_flow(flow)
    result = rest_deploy(api, package)
    assert result["status"] == "Succeeded", result["details"]["componentFailures"]
    [deployed] = [item for item in result["details"]["componentSuccesses"] if item["componentType"] == "Flow"]
    assert (deployed["problem"], deployed["problemType"]) == (None, None)
    # The check validator warns (not fails) about a field the org does not have: the deploy says so.
    alone = rest_deploy(api, flow_package({"Uses_Rank": flow.replace(b"Tier__c", b"Rank__c")}))
    [warned] = [item for item in alone["details"]["componentSuccesses"] if item["componentType"] == "Flow"]
    assert (alone["status"], warned["problemType"]) == ("Succeeded", "Warning")
    assert warned["problem"] == "Element Find: the filter field Rank__c does not exist on Account"


def zip_with_flow(flow: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("package.xml", b'<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>'
                         b"Uses_Tier</members><name>Flow</name></types><types><members>Account.Tier__c</members><name>"
                         b"CustomField</name></types><version>62.0</version></Package>")
        archive.writestr("flows/Uses_Tier.flow", flow)
        archive.writestr("objects/Account.object", TIER)
    return buffer.getvalue()


def retrieved(api: Api, members: str) -> tuple[str, dict[str, bytes]]:
    started = soap(api, "retrieve", f"<request><apiVersion>62.0</apiVersion><unpackaged>{members}<version>62.0"
                                    "</version></unpackaged></request>")
    assert started.status_code == 200, started.text
    status = soap(api, "checkRetrieveStatus", f"<asyncProcessId>{tag(started.text, 'id')}</asyncProcessId>").text
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(tag(status, "zipFile"))))
    return status, {name: archive.read(name) for name in archive.namelist()}


def test_retrieve_flows_objects_and_fields(api: Api) -> None:
    assert deploy_schema(api)["status"] == "Succeeded"
    status, files = retrieved(api, "<types><members>Add_Numbers</members><members>Nope</members><name>Flow</name>"
                                   "</types><types><members>Gadget__c</members><name>CustomObject</name></types>"
                                   "<types><members>Account.Tier__c</members><name>CustomField</name></types>")
    assert sorted(files) == ["unpackaged/flows/Add_Numbers.flow", "unpackaged/objects/Account.object",
                             "unpackaged/objects/Gadget__c.object", "unpackaged/package.xml"]
    assert files["unpackaged/flows/Add_Numbers.flow"].startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Flow')
    gadget = files["unpackaged/objects/Gadget__c.object"].decode()
    assert "<label>Gadget</label>" in gadget and re.findall(r"<fullName>(\w+)</fullName>", gadget) == [
        "Colour__c", "Size__c"]
    account = files["unpackaged/objects/Account.object"].decode()
    assert re.findall(r"<fullName>(\w+)</fullName>", account) == ["Tier__c"] and "<label>" in account
    manifest = files["unpackaged/package.xml"].decode()
    assert "<members>Account.Tier__c</members>" in manifest and "<name>CustomField</name>" in manifest
    assert tag(status, "status") == "Succeeded"
    assert "Entity of type &apos;Flow&apos; named &apos;Nope&apos; cannot be found" in status or \
        "Entity of type 'Flow' named 'Nope' cannot be found" in status


def test_list_metadata_names_flows_objects_and_fields(api: Api) -> None:
    assert deploy_schema(api)["status"] == "Succeeded"
    response = soap(api, "listMetadata", "<queries><type>Flow</type></queries><queries><type>CustomObject</type>"
                                         "</queries><queries><type>CustomField</type></queries>"
                                         "<asOfVersion>62.0</asOfVersion>")
    assert response.status_code == 200, response.text
    listed = re.findall(r"<fileName>([^<]+)</fileName><fullName>([^<]+)</fullName>.*?<type>(\w+)</type>",
                        response.text)
    assert ("flows/Add_Numbers.flow", "Add_Numbers", "Flow") in listed
    assert ("objects/Gadget__c.object", "Gadget__c", "CustomObject") in listed
    assert ("objects/Account.object", "Account.Tier__c", "CustomField") in listed
    assert not any(name == "Account" for _, name, _ in listed)


def test_a_decimal_scale_change_is_refused(api: Api) -> None:
    assert deploy_schema(api)["status"] == "Succeeded"
    rescaled = object_file(field_xml("Size__c", "Number", "<precision>10</precision><scale>0</scale>"))
    result = rest_deploy(api, schema_package({"Gadget__c": rescaled}, {"CustomField": ["Gadget__c.Size__c"]}))
    [failure] = result["details"]["componentFailures"]
    assert failure["problem"] == ("Cannot change the type of Gadget__c.Size__c from decimal(2) to decimal(0): "
                                  "flowforce only adds fields, so the data it holds is kept")
    assert result["status"] == "Failed"
