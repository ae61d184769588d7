"""sObject REST: describe, CRUD by id and by external id, read-only flow records (reference/api-surface.md §6, §8)."""

from __future__ import annotations

from .conftest import Api

# reference/api-surface.md §6.7: every key of a field entry, always present.
FIELD_KEYS = {
    "autoNumber", "byteLength", "calculated", "calculatedFormula", "caseSensitive", "controllerName", "createable",
    "custom", "defaultValue", "defaultValueFormula", "defaultedOnCreate", "dependentPicklist",
    "deprecatedAndHidden", "digits", "externalId", "filterable", "groupable", "htmlFormatted", "idLookup",
    "inlineHelpText", "label", "length", "name", "nameField", "namePointing", "nillable", "picklistValues",
    "precision", "referenceTo", "relationshipName", "relationshipOrder", "restrictedPicklist", "scale", "soapType",
    "sortable", "type", "unique", "updateable", "writeRequiresMasterRead",
}
NOT_FOUND = [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]


def test_describe_global(api: Api) -> None:
    body = api.get("sobjects").json()
    assert (body["encoding"], body["maxBatchSize"]) == ("UTF-8", 200)
    account = next(entry for entry in body["sobjects"] if entry["name"] == "Account")
    assert account["keyPrefix"] == "001"
    assert account["urls"] == {"sobject": "/services/data/v66.0/sobjects/Account",
                               "describe": "/services/data/v66.0/sobjects/Account/describe",
                               "rowTemplate": "/services/data/v66.0/sobjects/Account/{ID}"}
    flows = next(entry for entry in body["sobjects"] if entry["name"] == "FlowDefinitionView")
    assert (flows["createable"], flows["queryable"]) == (False, True)


def test_basic_info_and_describe(api: Api) -> None:
    assert api.get("sobjects/Account/").json()["objectDescribe"]["name"] == "Account"
    body = api.get("sobjects/Contact/describe").json()
    fields = {field["name"]: field for field in body["fields"]}
    account_id = fields["AccountId"]
    assert (account_id["type"], account_id["soapType"], account_id["referenceTo"], account_id["relationshipName"]) == (
        "reference", "tns:ID", ["Account"], "Account")
    assert fields["Id"]["type"] == "id"
    assert all(set(field) == FIELD_KEYS for field in fields.values())
    assert body["name"] == "Contact" and body["keyPrefix"] == "003"


def test_unknown_object_is_not_found(api: Api) -> None:
    assert api.get("sobjects/Nope__c/describe").json() == NOT_FOUND
    assert api.post("sobjects/Nope__c", json={}).status_code == 404


def test_create_read_update_delete(dml_api: Api) -> None:
    response = dml_api.post("sobjects/Account/", json={"Name": "Acme", "attributes": {"type": "Account"}})
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "success": True, "errors": []}
    record_id = body["id"]
    assert response.headers["location"] == f"/services/data/v66.0/sobjects/Account/{record_id}"
    record = dml_api.get(f"sobjects/Account/{record_id}").json()
    assert record["attributes"] == {"type": "Account", "url": f"/services/data/v66.0/sobjects/Account/{record_id}"}
    assert record["Name"] == "Acme" and record["Website"] is None
    update = dml_api.patch(f"sobjects/Account/{record_id}", json={"Name": "Acme 2"})
    assert (update.status_code, update.content) == (204, b"")
    assert dml_api.get(f"sobjects/Account/{record_id}").json()["Name"] == "Acme 2"
    assert dml_api.delete(f"sobjects/Account/{record_id}").status_code == 204
    assert dml_api.get(f"sobjects/Account/{record_id}").json() == NOT_FOUND
    again = dml_api.delete(f"sobjects/Account/{record_id}")
    assert again.status_code == 404 and again.json()[0]["errorCode"] == "ENTITY_IS_DELETED"


def test_fields_parameter_limits_the_record(api: Api) -> None:
    record_id = api.create("Account", Name="Narrow")
    record = api.get(f"sobjects/Account/{record_id}", params={"fields": "Name,Website"}).json()
    assert set(record) <= {"attributes", "Id", "Name", "Website"} and record["Name"] == "Narrow"


def test_segment_that_is_not_an_id_reads_as_external_id_field(api: Api) -> None:
    response = api.get("sobjects/Account/not-an-id")
    assert response.status_code == 404
    assert response.json() == [{"message": "Provided external ID field does not exist or is not accessible: "
                                           "not-an-id", "errorCode": "NOT_FOUND"}]


def test_write_errors(api: Api) -> None:
    response = api.post("sobjects/Account", json={"Name": "X", "Foo": 1})
    assert response.status_code == 400
    assert response.json() == [{"message": "No such column 'Foo' on sobject of type Account",
                                "errorCode": "INVALID_FIELD", "fields": ["Foo"]}]
    missing = api.post("sobjects/Contact", json={"FirstName": "No last name"})
    assert missing.status_code == 400
    assert missing.json() == [{"message": "Required fields are missing: [LastName]",
                               "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["LastName"]}]
    assert api.post("sobjects/Account", json=[1]).json()[0]["errorCode"] == "JSON_PARSER_ERROR"


def test_upsert_by_external_id(dml_api: Api) -> None:
    created = dml_api.patch("sobjects/FlowDefinitionView/ApiName/X", json={})
    assert created.status_code == 405
    first = dml_api.patch("sobjects/Account/Id/001000000000000AAA", json={"Name": "x"})
    assert first.status_code >= 400
    account = dml_api.create("Account", Name="Upserted")
    updated = dml_api.patch(f"sobjects/Account/Id/{account}", json={"Name": "Upserted 2"})
    assert updated.status_code == 200
    assert updated.json() == {"id": account, "success": True, "errors": [], "created": False}
    assert dml_api.get(f"sobjects/Account/Id/{account}").json()["Name"] == "Upserted 2"


def test_external_id_field_must_exist(api: Api) -> None:
    response = api.get("sobjects/Account/Namez/Acme")
    assert response.json() == [{"message": "Provided external ID field does not exist or is not accessible: Namez",
                                "errorCode": "NOT_FOUND"}]


def test_flow_records_are_read_only_and_queryable(api: Api) -> None:
    [definition] = api.soql("SELECT Id, DurableId, ApiName, IsActive, ActiveVersionId, LatestVersionId, "
                            "ProcessType FROM FlowDefinitionView WHERE ApiName = 'Draft_Flow'")
    assert definition["IsActive"] is False and definition["ActiveVersionId"] is None
    assert definition["DurableId"].startswith("300") and definition["LatestVersionId"].startswith("301")
    [version] = api.soql(f"SELECT VersionNumber, Status FROM Flow WHERE DefinitionId = '{definition['DurableId']}'")
    assert version == {"attributes": version["attributes"], "VersionNumber": 1, "Status": "Draft"}
    assert api.get(f"sobjects/FlowDefinitionView/{definition['Id']}").json()["ApiName"] == "Draft_Flow"
    refused = api.post("sobjects/FlowDefinitionView", json={"ApiName": "X"})
    assert refused.status_code == 405
    assert refused.json() == [{"message": "HTTP Method 'POST' not allowed. Allowed are GET,HEAD",
                               "errorCode": "METHOD_NOT_ALLOWED"}]
    assert api.delete(f"sobjects/FlowDefinitionView/{definition['Id']}").status_code == 405
