"""`composite/tree/{object}`: nested records in one transaction, as `sf data import tree` sends them."""

from __future__ import annotations

from typing import Any

from .conftest import Api


def account(reference: str, name: str, *contacts: dict[str, Any], **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"attributes": {"type": "Account", "referenceId": reference}, "Name": name, **fields}
    if contacts:
        record["Contacts"] = {"records": list(contacts)}
    return record


def contact(reference: str, last_name: str, **fields: Any) -> dict[str, Any]:
    return {"attributes": {"type": "Contact", "referenceId": reference}, "LastName": last_name, **fields}


def test_tree_saves_parents_then_children_and_links_them(dml_api: Api) -> None:
    acme = account("AccountRef1", "Acme", contact("ContactRef1", "Smith"), contact("ContactRef2", "Jones"))
    globex = account("AccountRef2", "Globex", contact("ContactRef3", "Brown", Email="b@globex.test"))
    body = {"records": [acme, globex]}
    response = dml_api.post("composite/tree/Account", json=body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["hasErrors"] is False
    assert [entry["referenceId"] for entry in result["results"]] == [
        "AccountRef1", "AccountRef2", "ContactRef1", "ContactRef2", "ContactRef3"]
    ids = {entry["referenceId"]: entry["id"] for entry in result["results"]}
    assert ids["AccountRef1"].startswith("001") and ids["ContactRef3"].startswith("003")
    rows = dml_api.soql("SELECT LastName, Email, Account.Name FROM Contact ORDER BY LastName")
    assert [(row["LastName"], row["Email"], row["Account"]["Name"]) for row in rows] == [
        ("Brown", "b@globex.test", "Globex"), ("Jones", None, "Acme"), ("Smith", None, "Acme")]
    assert {row["Id"] for row in dml_api.soql("SELECT Id FROM Account")} == {ids["AccountRef1"], ids["AccountRef2"]}


def test_a_failing_child_rolls_back_the_whole_tree(dml_api: Api) -> None:
    body = {"records": [account("AccountRef1", "Acme", contact("ContactRef1", "Smith"),
                                contact("ContactRef2", "Jones", Email="not-an-email"))]}
    response = dml_api.post("composite/tree/Account", json=body)
    assert response.status_code == 400
    assert response.json() == {"hasErrors": True, "results": [{"referenceId": "ContactRef2", "errors": [
        {"statusCode": "INVALID_EMAIL_ADDRESS", "message": "Email: invalid email address: not-an-email",
         "fields": ["Email"]}]}]}
    assert dml_api.soql("SELECT Id FROM Account") == []
    assert dml_api.soql("SELECT Id FROM Contact") == []


def test_a_failing_parent_reports_its_reference(api: Api) -> None:
    body = {"records": [account("AccountRef1", "Acme"), {"attributes": {"type": "Account", "referenceId": "Bad"}}]}
    response = api.post("composite/tree/Account", json=body)
    assert response.status_code == 400
    [failure] = response.json()["results"]
    assert failure["referenceId"] == "Bad"
    assert failure["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    assert api.soql("SELECT Id FROM Account") == []


def test_top_level_records_must_be_of_the_urls_type(api: Api) -> None:
    response = api.post("composite/tree/Account", json={"records": [contact("ContactRef1", "Smith")]})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALID_INPUT"
    assert "Contact" in response.json()[0]["message"]


def test_reference_ids_are_required_and_unique(api: Api) -> None:
    missing = api.post("composite/tree/Account", json={"records": [{"attributes": {"type": "Account"}, "Name": "x"}]})
    assert missing.status_code == 400
    assert missing.json() == [{"message": "Include a reference ID for each record in the request.",
                               "errorCode": "INVALID_INPUT"}]
    twice = api.post("composite/tree/Account", json={"records": [account("R1", "a"), account("R1", "b")]})
    assert twice.json() == [{"message": "Duplicate ReferenceId provided in the request: R1",
                             "errorCode": "INVALID_INPUT"}]
    assert api.soql("SELECT Id FROM Account") == []


def test_at_most_200_records(api: Api) -> None:
    body = {"records": [account(f"R{n}", f"Account {n}") for n in range(201)]}
    response = api.post("composite/tree/Account", json=body)
    assert response.status_code == 400
    assert response.json()[0]["message"] == "Too many records in the request: the limit is 200."


def test_unknown_object_is_not_found(api: Api) -> None:
    response = api.post("composite/tree/Nope__c", json={"records": []})
    assert response.status_code == 404
    assert response.json()[0]["errorCode"] == "NOT_FOUND"


def test_records_must_be_an_array(api: Api) -> None:
    response = api.post("composite/tree/Account", json={"records": {"Name": "x"}})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "JSON_PARSER_ERROR"

