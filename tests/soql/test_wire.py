"""The REST query body: attributes, nested parents, child blocks, aggregates without url."""

from __future__ import annotations

from typing import Any

from flowforce.api.wire_values import to_wire
from flowforce.soql import QueryResult


def query_result_json(result: QueryResult, api_version: str = "66.0") -> dict[str, Any]:
    """The first (and only) page of the REST query body."""
    return {"totalSize": result.total_size, "done": result.done, "records": to_wire(result.records, api_version)}


def test_records_parents_and_children(soql, seeded) -> None:  # type: ignore[no-untyped-def]
    result = soql("SELECT Name, Owner.Name, AnnualRevenue, CreatedDate, (SELECT LastName FROM Contacts "
                  "ORDER BY LastName) FROM Account WHERE Name IN ('Acme', 'Gamma') ORDER BY Name")  # fmt: skip
    body = query_result_json(result, "59.0")
    acme, gamma = body["records"]
    assert body["totalSize"] == 2 and body["done"] is True
    assert acme["attributes"] == {"type": "Account", "url": f"/services/data/v59.0/sobjects/Account/{seeded['acme']}"}
    assert acme["Owner"] == {
        "attributes": {"type": "User", "url": f"/services/data/v59.0/sobjects/User/{seeded['user']}"},
        "Name": "Jane Admin",
    }
    assert acme["AnnualRevenue"] == 1000.0
    assert acme["CreatedDate"] == "2024-05-15T12:30:00.000+0000"
    assert acme["Contacts"]["totalSize"] == 2 and acme["Contacts"]["done"] is True
    assert [c["LastName"] for c in acme["Contacts"]["records"]] == ["Jones", "Smith"]
    assert gamma["Owner"] is None and gamma["Contacts"] is None


def test_aggregate_and_count_shapes(soql) -> None:  # type: ignore[no-untyped-def]
    body = query_result_json(soql("SELECT Industry, COUNT(Id) FROM Account WHERE Industry = 'Media' GROUP BY Industry"))
    assert body["records"] == [{"attributes": {"type": "AggregateResult"}, "Industry": "Media", "expr0": 1}]
    assert query_result_json(soql("SELECT COUNT() FROM Account")) == {"totalSize": 4, "done": True, "records": []}
