"""`query?columns=true`: column metadata as `sf data query` reads it (reference/clients.md §4.5)."""

from __future__ import annotations

from typing import Any

from .conftest import Api


def columns(api: Api, soql: str) -> dict[str, Any]:
    response = api.get("query", params={"q": soql, "columns": "true"})
    assert response.status_code == 200, response.text
    return dict(response.json())


def shape(entries: list[dict[str, Any]]) -> list[Any]:
    """(columnName, aggregate, displayName, joinColumns…) — what the CLI reads."""
    return [(entry["columnName"], entry["aggregate"], entry["displayName"], shape(entry["joinColumns"]))
            for entry in entries]


def test_plain_fields_match_the_cli_fixture(api: Api) -> None:
    body = columns(api, "SELECT Id, Name FROM Account")
    assert body == {
        "columnMetadata": [
            {"aggregate": False, "apexType": "Id", "booleanType": False, "columnName": "Id", "custom": False,
             "displayName": "Id", "foreignKeyName": None, "insertable": False, "joinColumns": [], "numberType": False,
             "textType": False, "updatable": False},
            {"aggregate": False, "apexType": "String", "booleanType": False, "columnName": "Name", "custom": False,
             "displayName": "Name", "foreignKeyName": None, "insertable": True, "joinColumns": [],
             "numberType": False, "textType": True, "updatable": True},
        ],
        "entityName": "Account", "groupBy": False, "idSelected": True, "keyPrefix": "001",
    }


def test_parent_fields_share_one_relationship_column(api: Api) -> None:
    body = columns(api, "SELECT LastName, Account.Name, Account.Owner.Name, Account.Phone FROM Contact")
    assert shape(body["columnMetadata"]) == [
        ("LastName", False, "LastName", []),
        ("Account", False, "Account", [("Name", False, "Name", []), ("Owner", False, "Owner", [
            ("Name", False, "Name", [])]), ("Phone", False, "Phone", [])]),
    ]
    account = body["columnMetadata"][1]
    assert (account["foreignKeyName"], account["apexType"]) == ("AccountId", "Account")
    assert body["idSelected"] is False


def test_subquery_is_an_aggregate_column_in_select_order(api: Api) -> None:
    body = columns(api, "SELECT Name, (SELECT LastName, Email FROM Contacts), Phone FROM Account")
    assert shape(body["columnMetadata"]) == [
        ("Name", False, "Name", []),
        ("Contacts", True, "Contacts", [("LastName", False, "LastName", []), ("Email", False, "Email", [])]),
        ("Phone", False, "Phone", []),
    ]


def test_functions_are_named_by_alias_or_expr_n(api: Api) -> None:
    body = columns(api, "SELECT Industry, COUNT(Id), MAX(AnnualRevenue) top FROM Account GROUP BY Industry")
    assert shape(body["columnMetadata"]) == [
        ("Industry", False, "Industry", []),
        ("expr0", True, "COUNT(Id)", []),
        ("top", True, "MAX(AnnualRevenue)", []),
    ]
    assert body["groupBy"] is True
    assert body["columnMetadata"][1]["apexType"] == "Integer"


def test_columns_need_no_rows_and_check_the_query(api: Api) -> None:
    assert columns(api, "SELECT COUNT() FROM Account")["columnMetadata"] == []
    bad = api.get("query", params={"q": "SELECT Nope FROM Account", "columns": "true"})
    assert bad.status_code == 400
    assert bad.json()[0]["errorCode"] == "INVALID_FIELD"
