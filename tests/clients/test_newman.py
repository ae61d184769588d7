"""newman runs the Postman collection (tests/clients/postman/, in the "Salesforce Platform APIs" style) against
`flowforce serve --tls`: SOAP, username-password and client-credentials logins, then flow actions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import ADMIN, ADMIN_PASSWORD, CLIENT_ID, CLIENT_SECRET, HERE, Server, node_env, node_tools, run_script

COLLECTION = HERE / "postman" / "salesforce-platform-apis.postman_collection.json"



@pytest.fixture(scope="module")
def run(tls_server: Server, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tools = node_tools()
    report = tmp_path_factory.mktemp("newman") / "report.json"
    variables = {"url": tls_server.base_url, "version": "62.0", "username": ADMIN, "password": ADMIN_PASSWORD,
                 "secretToken": "", "clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET}
    command = [str(tools / "newman"), "run", str(COLLECTION), "--ssl-extra-ca-certs", str(tls_server.ca_file),
               "--reporters", "cli,json", "--reporter-json-export", str(report), "--color", "off"]
    for name, value in variables.items():
        command += ["--env-var", f"{name}={value}"]
    run_script(command, node_env(tls_server))
    return dict(json.loads(report.read_text())["run"])


def test_every_request_and_assertion_passes(run: dict[str, Any]) -> None:
    stats = run["stats"]
    assert (stats["requests"]["total"], stats["requests"]["failed"]) == (11, 0)
    assert stats["assertions"]["failed"] == 0
    assert stats["assertions"]["total"] == 13
    codes = {execution["item"]["name"]: execution["response"]["code"] for execution in run["executions"]}
    assert codes == {"SOAP Login": 200, "OAuth Username Password": 200, "OAuth Client Credentials": 200,
                     "User Info": 200, "Custom Invocable Actions": 200, "Flow Actions": 200, "Describe Flow": 200,
                     "SObject Create": 201, "Feed Item Create": 201, "Launch Flow": 200, "Query": 200}


def test_the_launched_flow_left_its_case(run: dict[str, Any], tls_server: Server) -> None:
    [case] = tls_server.rows("SELECT Subject, Description, Origin FROM Case WHERE Description = 'Posted from Postman'")
    assert case == {"Subject": "Escalated Chatter post (8 comments)", "Description": "Posted from Postman",
                    "Origin": "Web"}
    assert [row["Name"] for row in tls_server.rows("SELECT Name FROM Account WHERE Name = 'Postman Co'")] == [
        "Postman Co"]
