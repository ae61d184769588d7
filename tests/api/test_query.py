"""SOQL over REST: results, paging through query locators, errors (reference/api-surface.md §5)."""

from __future__ import annotations

from .conftest import Api


def seed_accounts(api: Api, count: int) -> None:
    with api.org.store.transaction() as tx:
        tx.insert("Account", [{"Name": f"Paged {n:04d}"} for n in range(count)])


def test_query_shape_and_relationships(api: Api) -> None:
    account = api.create("Account", Name="Acme")
    api.create("Contact", LastName="Smith", AccountId=account)
    body = api.get("query/", params={"q": "SELECT LastName, Account.Name FROM Contact"}).json()
    [record] = body["records"]
    assert (body["totalSize"], body["done"]) == (1, True) and "nextRecordsUrl" not in body
    assert record["attributes"]["type"] == "Contact"
    assert record["attributes"]["url"].startswith("/services/data/v66.0/sobjects/Contact/003")
    assert record["Account"]["Name"] == "Acme" and record["Account"]["attributes"]["type"] == "Account"


def test_plus_encoded_query_and_empty_result(api: Api) -> None:
    response = api.get("http://testserver/services/data/v66.0/query/?q=SELECT+Id+FROM+Account")
    assert response.json() == {"totalSize": 0, "done": True, "records": []}


def test_count_and_aggregate(api: Api) -> None:
    seed_accounts(api, 3)
    assert api.get("query", params={"q": "SELECT COUNT() FROM Account"}).json() == {
        "totalSize": 3, "done": True, "records": []}
    [row] = api.soql("SELECT COUNT(Id) FROM Account")
    assert row == {"attributes": {"type": "AggregateResult"}, "expr0": 3}


def test_paging_with_batch_size_header(api: Api) -> None:
    seed_accounts(api, 450)
    headers = {"Sforce-Query-Options": "batchSize=200"}
    first = api.get("query", params={"q": "SELECT Name FROM Account ORDER BY Name"}, headers=headers).json()
    assert (first["totalSize"], first["done"], len(first["records"])) == (450, False, 200)
    assert first["nextRecordsUrl"].startswith("/services/data/v66.0/query/01g")
    second = api.get(first["nextRecordsUrl"]).json()
    assert (second["totalSize"], second["done"], len(second["records"])) == (450, False, 200)
    locator = second["nextRecordsUrl"].rsplit("/", 1)[1]
    last = api.get(f"/services/data/v50.0/query/{locator}").json()  # jsforce rebuilds the URL with its version
    assert (last["done"], len(last["records"])) == (True, 50) and "nextRecordsUrl" not in last
    assert last["records"][-1]["Name"] == "Paged 0449"


def test_default_batch_is_2000(api: Api) -> None:
    seed_accounts(api, 2001)
    body = api.get("query", params={"q": "SELECT Id FROM Account"}).json()
    assert (len(body["records"]), body["done"]) == (2000, False)


def test_query_all_includes_deleted_and_pages_through_query(api: Api) -> None:
    record_id = api.create("Account", Name="Gone")
    api.delete(f"sobjects/Account/{record_id}")
    assert api.soql("SELECT Id FROM Account") == []
    body = api.get("queryAll", params={"q": "SELECT Id, IsDeleted FROM Account"}).json()
    assert [r["IsDeleted"] for r in body["records"]] == [True]


def test_invalid_locator(api: Api) -> None:
    for locator in ("01gXXXXXXXXXXXXXXX-200", "nonsense"):
        response = api.get(f"query/{locator}")
        assert response.status_code == 400
        assert response.json() == [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}]


def test_query_errors(api: Api) -> None:
    malformed = api.get("query", params={"q": "SELECT Id FRM Account"})
    assert malformed.status_code == 400 and malformed.json()[0]["errorCode"] == "MALFORMED_QUERY"
    assert malformed.json()[0]["message"].startswith("\nSELECT Id FRM Account\n")
    invalid_field = api.get("query", params={"q": "SELECT Foo FROM Account"}).json()[0]
    assert invalid_field["errorCode"] == "INVALID_FIELD"
    assert invalid_field["message"] == (
        "\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Account'. If "
        "you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please "
        "reference your WSDL or the describe call for the appropriate names.")
    assert api.get("query", params={"q": "SELECT Id FROM ScratchOrgInfo limit 1"}).json()[0]["errorCode"] == \
        "INVALID_TYPE"
    missing = api.get("query")
    assert missing.status_code == 400 and missing.json()[0]["errorCode"] == "MALFORMED_QUERY"
