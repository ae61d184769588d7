"""composite and composite/sobjects (reference/api-surface.md §7)."""

from __future__ import annotations

from .conftest import Api

HALTED = [{"message": "The transaction was rolled back since another operation in the same transaction failed.",
           "errorCode": "PROCESSING_HALTED"}]


def test_composite_index(api: Api) -> None:
    assert api.get("composite").json()["sobjects"] == "/services/data/v66.0/composite/sobjects"


def test_composite_with_references(dml_api: Api) -> None:
    body = {"allOrNone": True, "compositeRequest": [
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Account", "referenceId": "acct",
         "body": {"Name": "Ref Co"}},
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Contact", "referenceId": "contact",
         "body": {"LastName": "Ref", "AccountId": "@{acct.id}"}},
        {"method": "GET", "url": "/services/data/v66.0/sobjects/Account/@{acct.id}?fields=Name",
         "referenceId": "read"},
        {"method": "GET", "url": "/services/data/v66.0/query?q=SELECT+Id+FROM+Contact", "referenceId": "q"},
    ]}
    response = dml_api.post("composite", json=body)
    assert response.status_code == 200
    entries = response.json()["compositeResponse"]
    assert [e["httpStatusCode"] for e in entries] == [201, 201, 200, 200]
    account_id = entries[0]["body"]["id"]
    assert entries[0]["httpHeaders"] == {"Location": f"/services/data/v66.0/sobjects/Account/{account_id}"}
    assert entries[2]["body"]["Name"] == "Ref Co"
    assert entries[3]["body"]["totalSize"] == 1
    assert dml_api.soql("SELECT AccountId FROM Contact")[0]["AccountId"] == account_id


def test_all_or_none_failure_rolls_everything_back(dml_api: Api) -> None:
    body = {"allOrNone": True, "compositeRequest": [
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Account", "referenceId": "ok", "body": {"Name": "A"}},
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Contact", "referenceId": "bad", "body": {}},
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Account", "referenceId": "after",
         "body": {"Name": "B"}},
    ]}
    entries = dml_api.post("composite", json=body).json()["compositeResponse"]
    assert [(e["referenceId"], e["httpStatusCode"]) for e in entries] == [("ok", 400), ("bad", 400), ("after", 400)]
    assert entries[0]["body"] == HALTED and entries[2]["body"] == HALTED
    assert entries[1]["body"][0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert dml_api.soql("SELECT Id FROM Account") == []


def test_without_all_or_none_only_the_failure_and_its_dependents_fail(dml_api: Api) -> None:
    body = {"compositeRequest": [
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Contact", "referenceId": "bad", "body": {}},
        {"method": "GET", "url": "/services/data/v66.0/sobjects/Contact/@{bad.id}", "referenceId": "dependent"},
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Account", "referenceId": "ok", "body": {"Name": "A"}},
    ]}
    entries = dml_api.post("composite", json=body).json()["compositeResponse"]
    assert [e["httpStatusCode"] for e in entries] == [400, 400, 201]
    assert entries[1]["body"] == HALTED
    assert len(dml_api.soql("SELECT Id FROM Account")) == 1


def test_collections_create_update_retrieve_delete(dml_api: Api) -> None:
    created = dml_api.post("composite/sobjects", json={"allOrNone": False, "records": [
        {"attributes": {"type": "Account"}, "Name": "C1"}, {"attributes": {"type": "Contact"}},
        {"attributes": {"type": "Account"}, "Name": "C2"}]})
    assert created.status_code == 200
    first, failed, third = created.json()
    assert first["success"] and third["success"]
    assert failed == {"success": False, "errors": [{"statusCode": "REQUIRED_FIELD_MISSING",
                                                    "message": "Required fields are missing: [LastName]",
                                                    "fields": ["LastName"]}]}
    ids = [first["id"], third["id"]]
    updated = dml_api.patch("composite/sobjects", json={"records": [
        {"attributes": {"type": "Account"}, "Id": ids[0], "Name": "C1b"}]}).json()
    assert updated == [{"id": ids[0], "success": True, "errors": []}]
    records = dml_api.get("composite/sobjects/Account", params={"ids": ",".join(ids), "fields": "Name"}).json()
    assert [r["Name"] for r in records] == ["C1b", "C2"]
    deleted = dml_api.delete("composite/sobjects", params={"ids": ",".join(ids)}).json()
    assert [d["success"] for d in deleted] == [True, True]


def test_collections_all_or_none_marks_innocent_records(dml_api: Api) -> None:
    body = {"allOrNone": True, "records": [{"attributes": {"type": "Account"}, "Name": "Ok"},
                                          {"attributes": {"type": "Account"}}]}
    results = dml_api.post("composite/sobjects", json=body).json()
    assert results[0] == {"success": False, "errors": [{
        "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
        "message": "Record rolled back because not all records were valid and the request was using AllOrNone "
                   "header", "fields": []}]}
    assert results[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    assert dml_api.soql("SELECT Id FROM Account") == []


def test_collections_upsert(dml_api: Api) -> None:
    account = dml_api.create("Account", Name="U")
    results = dml_api.patch("composite/sobjects/Account/Id", json={"records": [
        {"attributes": {"type": "Account"}, "Id": account, "Name": "U2"}]}).json()
    assert results == [{"id": account, "success": True, "errors": [], "created": False}]
