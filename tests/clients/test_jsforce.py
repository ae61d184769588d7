"""jsforce 3 (tests/clients/jsforce_client.mjs) against `flowforce serve --tls`."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import ADMIN, HERE, Server, json_lines, node_env, node_tools, run_script

WEB_APP = {"FF_WEB_CLIENT_ID": "3MVG9WebIntegrationConsumerKey", "FF_WEB_CLIENT_SECRET": "Web-Integration-Secret-1",
           "FF_WEB_CALLBACK": "http://localhost:3000/oauth/callback"}  # tests/clients/project/flowforce.toml



@pytest.fixture(scope="module")
def steps(tls_server: Server) -> dict[str, Any]:
    tools = node_tools()
    result = run_script([str(tools / "node"), str(HERE / "jsforce_client.mjs")], node_env(tls_server, **WEB_APP))
    return json_lines(result.stdout)


def test_logins(steps: dict[str, Any], tls_server: Server) -> None:
    assert steps["soap_login"]["instanceUrl"] == tls_server.base_url
    assert steps["soap_login"]["orgId"] == tls_server.org_id
    assert steps["oauth_password_login"] == {"instanceUrl": tls_server.base_url, "orgId": tls_server.org_id}
    assert steps["client_credentials"] == {"instanceUrl": tls_server.base_url, "username": ADMIN}


def test_sobject_calls(steps: dict[str, Any], tls_server: Server) -> None:
    assert steps["create"]["success"] is True and steps["create"]["id"].startswith("001")
    assert steps["retrieve"] == {"Name": "Jsforce Co", "Industry": "Energy"}
    assert steps["update"] == {"id": steps["create"]["id"], "success": True, "errors": []}
    assert steps["upsert_created"]["created"] is True
    assert steps["upsert_updated"]["created"] is False
    assert steps["destroy"]["success"] is True
    assert steps["retrieve_destroyed"] == "NOT_FOUND"
    assert steps["describe"] == {"name": "Account", "keyPrefix": "001"}
    rows = tls_server.rows("SELECT Name, Industry, External_Key__c FROM Account WHERE Name IN "
                           "('Jsforce Co', 'Js Upserted Again', 'Js Doomed') ORDER BY Name")
    assert [(row["Name"], row["Industry"], row["External_Key__c"]) for row in rows] == [
        ("Js Upserted Again", None, "JS-1"), ("Jsforce Co", "Banking", None)]


def test_query_autofetch_follows_next_records_url(steps: dict[str, Any], tls_server: Server) -> None:
    assert steps["query_first_page"] == {"size": 200, "done": False, "totalSize": 450}
    assert steps["query_autofetch"] == {"size": 450, "first": "JsPaged 000", "last": "JsPaged 449"}
    assert len(tls_server.rows("SELECT Id FROM Account WHERE Name LIKE 'JsPaged %'")) == 450


def test_flow_invocation(steps: dict[str, Any], tls_server: Server) -> None:
    [result] = steps["invoke_flow"]
    assert (result["isSuccess"], result["Status"]) == (True, "Escalated")
    [case] = tls_server.rows(f"SELECT Subject, Description FROM Case WHERE Id = '{result['CaseId']}'")
    assert case == {"Subject": "Escalated Chatter post (7 comments)", "Description": "jsforce post with replies"}


def test_web_server_flow_with_pkce_issues_a_refresh_token(steps: dict[str, Any]) -> None:
    flow = steps["web_server_flow"]
    assert (flow["status"], flow["state"], flow["hasRefreshToken"]) == (302, "js-state", True)
    assert flow["userId"].startswith("005")


def test_401_refreshes_once_and_a_dead_refresh_token_fails(steps: dict[str, Any]) -> None:
    assert steps["refresh_on_401"] == {"refreshes": 1, "totalSize": steps["refresh_on_401"]["totalSize"]}
    assert steps["refresh_on_401"]["totalSize"] > 450
    assert steps["dead_refresh_token"]["refreshes"] == 1  # the failed refresh raised instead of looping
    assert "expired access/refresh token" in steps["dead_refresh_token"]["error"]
    assert steps["relogin_on_401"] == {"refreshes": 1, "totalSize": 1}
