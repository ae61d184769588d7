"""simple_salesforce 1.12 (tests/clients/simple_salesforce_client.py) against `flowforce serve --tls`."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from .conftest import HERE, Server, json_lines, run_script


@pytest.fixture(scope="module")
def steps(tls_server: Server) -> dict[str, Any]:
    result = run_script([sys.executable, str(HERE / "simple_salesforce_client.py")], tls_server.client_env())
    return json_lines(result.stdout)


def test_every_login_flow_reaches_the_server(steps: dict[str, Any], tls_server: Server) -> None:
    host = tls_server.base_url.removeprefix("https://")
    assert steps["soap_login"] == {"instance": host, "user": 1}
    assert steps["client_credentials_login"] == {"instance": host}
    assert steps["password_login"] == {"instance": host}
    assert steps["session_login"] == {"base_url": f"{tls_server.base_url}/services/data/v62.0/"}


def test_record_calls(steps: dict[str, Any], tls_server: Server) -> None:
    created = steps["create"]
    assert created["success"] is True and created["errors"] == [] and created["id"].startswith("001")
    assert steps["get"] == {"Name": "Simple Co", "Industry": "Energy"}
    assert steps["update"] == 204
    assert steps["upsert_created"] == 201
    assert steps["upsert_updated"] == 200
    assert steps["delete"] == 204
    assert steps["get_deleted"] == "NOT_FOUND"
    assert steps["describe"] == {"name": "Account", "has_external_key": True}
    assert steps["describe_global"] == ["Account", "Case", "Contact"]
    rows = tls_server.rows("SELECT Name, Industry, External_Key__c FROM Account WHERE Name IN "
                           "('Simple Co', 'Upserted Again', 'Doomed Co') ORDER BY Name")
    assert [(row["Name"], row["Industry"], row["External_Key__c"]) for row in rows] == [
        ("Simple Co", "Banking", None), ("Upserted Again", None, "SS-1")]


def test_query_pages_through_next_records_url(steps: dict[str, Any], tls_server: Server) -> None:
    first = steps["query_first_page"]
    assert (first["size"], first["done"]) == (200, False)
    assert first["next"].startswith("/services/data/v62.0/query/01g")
    assert steps["query_all"] == {"totalSize": 450, "first": "Paged 000", "last": "Paged 449"}
    assert steps["query_all_iter"] == 450
    assert len(tls_server.rows("SELECT Id FROM Account WHERE Name LIKE 'Paged %'")) == 450


def test_flow_invocation_creates_the_case(steps: dict[str, Any], tls_server: Server) -> None:
    [result] = steps["invoke_flow"]
    assert (result["isSuccess"], result["Status"]) == (True, "Escalated")
    [case] = tls_server.rows(f"SELECT Id, Subject, Description, Priority FROM Case WHERE Id = '{result['CaseId']}'")
    assert case["Subject"] == "Escalated Chatter post (6 comments)"
    assert (case["Description"], case["Priority"]) == ("Still broken after six replies", "High")
    assert steps["limits"] == {"DailyApiRequests": 15000}
    assert steps["api_usage"] is True
