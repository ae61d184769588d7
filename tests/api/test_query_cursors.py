"""Query cursors (issue 9 items 1 and 4): bound to their session, unguessable, and re-read from the store.

A cursor once held its whole result in memory (~40 MB per 27,000 rows) under a sequential id any API user could
fetch; now it keeps the query, answers only its own session, and each page is read again.
"""

from __future__ import annotations

import itertools
from typing import Any

from .conftest import Api

BATCH = {"Sforce-Query-Options": "batchSize=200"}
INVALID_LOCATOR = [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}]


def seed_accounts(api: Api, count: int) -> None:
    with api.org.store.transaction() as tx:
        tx.insert("Account", [{"Name": f"Paged {n:04d}"} for n in range(count)])


def first(api: Api, soql: str, resource: str = "query") -> dict[str, Any]:
    response = api.get(resource, params={"q": soql}, headers=BATCH)
    assert response.status_code == 200, response.text
    return dict(response.json())


def all_pages(api: Api, body: dict[str, Any]) -> list[dict[str, Any]]:
    records = list(body["records"])
    while not body["done"]:
        response = api.get(body["nextRecordsUrl"])
        assert response.status_code == 200, response.text
        body = response.json()
        records += body["records"]
    return records


def test_another_user_cannot_read_an_admins_cursor(api: Api, user_api: Api) -> None:
    seed_accounts(api, 250)
    body = first(api, "SELECT Name FROM Account ORDER BY Name")
    assert user_api.soql("SELECT COUNT() FROM Account") == []  # the user may query Accounts themselves
    stolen = user_api.get(body["nextRecordsUrl"])
    assert (stolen.status_code, stolen.json()) == (400, INVALID_LOCATOR)
    assert len(api.get(body["nextRecordsUrl"]).json()["records"]) == 50  # the owner still can


def test_locators_are_not_sequential(api: Api) -> None:
    seed_accounts(api, 201)
    ids = [first(api, "SELECT Id FROM Account")["nextRecordsUrl"].rsplit("/", 1)[1][:15] for _ in range(5)]
    assert len(set(ids)) == 5
    # A counter made consecutive locators share all but their last character or two.
    assert all(a[:12] != b[:12] for a, b in itertools.pairwise(ids)), ids


def test_later_pages_are_read_from_the_store(api: Api) -> None:
    seed_accounts(api, 250)
    body = first(api, "SELECT Name FROM Account ORDER BY Name")
    [row] = api.soql("SELECT Id FROM Account WHERE Name = 'Paged 0249'")
    with api.org.store.transaction() as tx:
        tx.update("Account", [{"Id": row["Id"], "Name": "Paged 0249 renamed"}])
    rest = api.get(body["nextRecordsUrl"]).json()
    assert rest["records"][-1]["Name"] == "Paged 0249 renamed"
    assert api.server.locators._cursors and not hasattr(next(iter(api.server.locators._cursors.values())), "records")


def test_an_idle_cursor_expires(api: Api) -> None:
    seed_accounts(api, 201)
    body = first(api, "SELECT Id FROM Account")
    api.server.locators.idle_seconds = -1
    response = api.get(body["nextRecordsUrl"])
    assert (response.status_code, response.json()) == (400, INVALID_LOCATOR)


def test_an_offset_past_the_end_is_refused(api: Api) -> None:
    seed_accounts(api, 201)
    locator = first(api, "SELECT Id FROM Account")["nextRecordsUrl"].rsplit("-", 1)[0]
    assert api.get(f"{locator}-202").json() == INVALID_LOCATOR


def test_pages_keep_the_querys_limit_order_and_children(dml_api: Api) -> None:
    api = dml_api
    seed_accounts(api, 600)
    [row] = api.soql("SELECT Id FROM Account WHERE Name = 'Paged 0300'")
    api.create("Contact", LastName="Child", AccountId=row["Id"])
    body = first(api, "SELECT Name, (SELECT LastName FROM Contacts) FROM Account ORDER BY Name DESC LIMIT 450")
    assert (body["totalSize"], len(body["records"])) == (450, 200)
    records = all_pages(api, body)
    assert [r["Name"] for r in records] == [f"Paged {n:04d}" for n in range(599, 149, -1)]
    [parent] = [r for r in records if r["Contacts"] is not None]
    assert parent["Name"] == "Paged 0300" and parent["Contacts"]["records"][0]["LastName"] == "Child"


def test_query_all_cursors_keep_deleted_rows(dml_api: Api) -> None:
    api = dml_api
    seed_accounts(api, 300)
    ids = [r["Id"] for r in api.soql("SELECT Id FROM Account ORDER BY Name LIMIT 150")]
    with api.org.store.transaction() as tx:
        tx.delete("Account", ids)
    body = first(api, "SELECT Id, IsDeleted FROM Account", resource="queryAll")
    records = all_pages(api, body)
    assert body["totalSize"] == 300 and len({r["Id"] for r in records}) == 300
    assert sum(r["IsDeleted"] for r in records) == 150
