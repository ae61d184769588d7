"""`sf project deploy start` / `sf project retrieve start` / `sf data query -t` against `flowforce serve --tls`.

The CLI deploys a local SFDX project (a changed copy of the org's Format_Phone_Number flow) through the Metadata
API — SOAP by default, REST (`deployRequest`) with `SF_ORG_METADATA_REST_DEPLOY=true` — and the tests check what
a user sees: the CLI's JSON result, the org's Flow records and the next invoke. Every command runs once, in order,
in the module fixture (the CLI takes seconds to start).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from flowforce.settings import BUNDLED_EXAMPLE

from .conftest import Server, node_env, node_tools
from .test_sf_cli import CLI_ENV, SfSession

FLOW = "Format_Phone_Number"
ORIGINAL = (BUNDLED_EXAMPLE / "force-app" / "main" / "default" / "flows" / f"{FLOW}.flow-meta.xml").read_text()
#: The flow changed to write 555.123.4567's last dash as a dot: "(555) 123.4567" shows the new version ran.
DOTTED = ORIGINAL.replace("&amp; MID({!Digits}, 4, 3) &amp; &quot;-&quot;",
                          "&amp; MID({!Digits}, 4, 3) &amp; &quot;.&quot;")
BROKEN = DOTTED.replace("<assignToReference>FormattedPhone</assignToReference>",
                        "<assignToReference>No_Such_Variable</assignToReference>")
LOYALTY_FIELD = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Loyalty_Tier__c</fullName>
    <label>Loyalty Tier</label>
    <length>20</length>
    <type>Text</type>
</CustomField>
"""
SFDX_PROJECT = {"packageDirectories": [{"path": "force-app", "default": True}], "name": "deploy-test",
                "namespace": "", "sourceApiVersion": "62.0"}


@dataclass
class DeploySession:
    sf: SfSession
    project: Path
    broken_line: int

    def ok(self, name: str) -> Any:
        return self.sf.ok(name)

    def json(self, name: str) -> Any:
        return self.sf.json(name)


def invoke(server: Server, phone: str) -> Any:
    response = httpx.post(f"{server.base_url}/services/data/v62.0/actions/custom/flow/{FLOW}",
                          headers={"Authorization": f"Bearer {server.token()}"}, verify=server.verify,
                          json={"inputs": [{"RawPhone": phone}]})
    response.raise_for_status()
    return response.json()[0]["outputValues"]["FormattedPhone"]


def flow_versions(server: Server) -> list[tuple[int, str]]:
    rows = server.rows(f"SELECT VersionNumber, Status FROM Flow WHERE ApiName = '{FLOW}' ORDER BY VersionNumber")
    return [(row["VersionNumber"], row["Status"]) for row in rows]


@pytest.fixture(scope="module")
def deploy(tls_server: Server, tmp_path_factory: pytest.TempPathFactory) -> DeploySession:
    node_tools()
    root = tmp_path_factory.mktemp("sf-deploy")
    home, project = root / "home", root / "project"
    home.mkdir()
    flows = project / "force-app" / "main" / "default" / "flows"
    flows.mkdir(parents=True)
    (project / "sfdx-project.json").write_text(json.dumps(SFDX_PROJECT))
    env = {**node_env(tls_server), **CLI_ENV, "HOME": str(home)}
    sf = SfSession(tls_server, project, env)
    sf.run("login", "org", "login", "access-token", "--instance-url", tls_server.base_url, "--no-prompt",
           "--alias", "ff", "--json", env={"SF_ACCESS_TOKEN": tls_server.token()})
    flow_file = flows / f"{FLOW}.flow-meta.xml"
    fields = project / "force-app" / "main" / "default" / "objects" / "Account" / "fields"
    fields.mkdir(parents=True)
    (fields / "Loyalty_Tier__c.field-meta.xml").write_text(LOYALTY_FIELD)

    flow_file.write_text(BROKEN)
    sf.run("deploy_broken", "project", "deploy", "start", "--source-dir", "force-app", "-o", "ff", "--json")
    sf.run("deploy_broken_human", "project", "deploy", "start", "--source-dir", "force-app", "-o", "ff",
           env={"COLUMNS": "250"})
    sf.results["after_broken"] = subprocess.CompletedProcess([], 0, json.dumps(flow_versions(tls_server)))
    flow_file.write_text(DOTTED)
    sf.run("dry_run", "project", "deploy", "start", "--source-dir", "force-app", "--dry-run", "-o", "ff", "--json",
           env={"SF_ORG_METADATA_REST_DEPLOY": "true"})
    sf.results["after_dry_run"] = subprocess.CompletedProcess([], 0, json.dumps(flow_versions(tls_server)))
    sf.run("deploy", "project", "deploy", "start", "--source-dir", "force-app", "-o", "ff", "--json")
    sf.results["invoke_after_deploy"] = subprocess.CompletedProcess([], 0, invoke(tls_server, "555-123-4567"))
    flow_file.write_text(BROKEN)
    sf.run("deploy_broken_rest", "project", "deploy", "start", "--source-dir", "force-app", "-o", "ff", "--json",
           env={"SF_ORG_METADATA_REST_DEPLOY": "true", "SF_LOG_LEVEL": "debug"})
    flow_file.unlink()
    shutil.rmtree(fields.parent)
    sf.run("retrieve", "project", "retrieve", "start", "-m", f"Flow:{FLOW}", "-o", "ff", "--json")
    sf.run("retrieve_field", "project", "retrieve", "start", "-m", "CustomField:Account.Loyalty_Tier__c", "-o", "ff",
           "--json")
    sf.run("retrieve_missing", "project", "retrieve", "start", "-m", "Flow:No_Such_Flow", "-o", "ff", "--json")
    sf.run("list_flows", "org", "list", "metadata", "-m", "Flow", "-o", "ff", "--json")
    sf.run("tooling_definition", "data", "query", "-t", "-q", "SELECT Id, DeveloperName, ActiveVersion.VersionNumber, "
           f"LatestVersion.VersionNumber FROM FlowDefinition WHERE DeveloperName = '{FLOW}'", "-o", "ff", "--json")
    sf.run("tooling_flow", "data", "query", "--use-tooling-api", "-q", "SELECT Id, Status, VersionNumber, "
           f"Definition.DeveloperName FROM Flow WHERE Definition.DeveloperName = '{FLOW}' ORDER BY VersionNumber",
           "-o", "ff", "--json")
    line = next(number for number, text in enumerate(BROKEN.splitlines(), 1) if "<name>Format</name>" in text)
    return DeploySession(sf, project, line)


def test_deploy_of_a_changed_flow_adds_and_activates_the_version_the_next_invoke_runs(
        deploy: DeploySession, tls_server: Server) -> None:
    result = deploy.ok("deploy")
    assert (result["status"], result["success"], result["checkOnly"]) == ("Succeeded", True, False)
    files = sorted((item["fullName"], item["type"], item["state"]) for item in result["files"])
    assert files == [("Account.Loyalty_Tier__c", "CustomField", "Created"), (FLOW, "Flow", "Changed")]
    [flow] = [item for item in result["files"] if item["type"] == "Flow"]
    assert flow["filePath"].endswith(f"force-app/main/default/flows/{FLOW}.flow-meta.xml")
    assert flow_versions(tls_server) == [(1, "Obsolete"), (2, "Active")]
    assert deploy.sf.results["invoke_after_deploy"].stdout == "(555) 123.4567"
    # the deployed field is a column of the store (read here by a new process over the same database)
    assert tls_server.rows("SELECT Loyalty_Tier__c FROM Account WHERE Loyalty_Tier__c = 'Gold'") == []


def test_a_broken_flow_fails_the_deploy_with_its_component_failure(deploy: DeploySession) -> None:
    for name in ("deploy_broken", "deploy_broken_rest"):
        body = deploy.json(name)
        assert body["status"] == 1, body
        [failure] = [item for item in body["result"]["files"] if item["state"] == "Failed"]
        assert (failure["fullName"], failure["type"], failure["state"], failure["problemType"]) == (
            FLOW, "Flow", "Failed", "Error")
        assert "No_Such_Variable" in failure["error"]
        assert failure["lineNumber"] == deploy.broken_line and failure["columnNumber"] > 1
    assert json.loads(deploy.sf.results["after_broken"].stdout) == [[1, "Active"]]
    # Without --json the CLI prints the failure table: type, name, problem, line:column.
    human = deploy.sf.results["deploy_broken_human"]
    assert human.returncode != 0
    row = next(line for line in human.stdout.splitlines() if "No_Such_Variable" in line)
    assert "Flow" in row and FLOW in row and f"{deploy.broken_line}:" in row, human.stdout


def test_the_rest_deploy_went_through_deploy_request(deploy: DeploySession) -> None:
    logs = "".join(path.read_text(errors="replace") for path in (deploy.sf.home.parent / "home").rglob("sf*.log"))
    assert "using REST" in logs


def test_dry_run_validates_and_changes_nothing(deploy: DeploySession) -> None:
    result = deploy.ok("dry_run")
    assert (result["status"], result["checkOnly"]) == ("Succeeded", True)
    assert json.loads(deploy.sf.results["after_dry_run"].stdout) == [[1, "Active"]]


def test_retrieve_returns_the_flow_xml(deploy: DeploySession, tls_server: Server) -> None:
    result = deploy.ok("retrieve")
    [item] = [item for item in result["files"] if item["type"] == "Flow"]
    assert (item["fullName"], item["state"]) == (FLOW, "Created")
    retrieved = deploy.project / "force-app" / "main" / "default" / "flows" / f"{FLOW}.flow-meta.xml"
    assert retrieved.read_text() == DOTTED  # the active version, as deployed


def test_retrieve_of_a_field_writes_its_source_file(deploy: DeploySession) -> None:
    result = deploy.ok("retrieve_field")
    # the CLI lists the field and the object file it unpacked it from
    assert sorted((item["fullName"], item["type"]) for item in result["files"]) == [
        ("Account", "CustomObject"), ("Account.Loyalty_Tier__c", "CustomField")]
    retrieved = deploy.project / "force-app" / "main" / "default" / "objects" / "Account" / "fields"
    text = (retrieved / "Loyalty_Tier__c.field-meta.xml").read_text()
    assert "<label>Loyalty Tier</label>" in text and "<type>Text</type>" in text


def test_retrieve_of_an_unknown_flow_says_so(deploy: DeploySession) -> None:
    body = deploy.json("retrieve_missing")
    text = json.dumps(body)
    assert "Entity of type 'Flow' named 'No_Such_Flow' cannot be found" in text


def test_list_metadata_names_the_orgs_flows(deploy: DeploySession) -> None:
    listed = {(item["fullName"], item["type"], item["fileName"]) for item in deploy.ok("list_flows")}
    assert (FLOW, "Flow", f"flows/{FLOW}.flow") in listed and ("Escalate_to_Case", "Flow",
                                                              "flows/Escalate_to_Case.flow") in listed


def test_tooling_queries_over_flow_definition_and_flow(deploy: DeploySession) -> None:
    [definition] = deploy.ok("tooling_definition")["records"]
    assert definition["DeveloperName"] == FLOW and definition["Id"].startswith("300")
    # the broken deploys added nothing: version 2 is both the active and the latest one
    assert (definition["ActiveVersion"]["VersionNumber"], definition["LatestVersion"]["VersionNumber"]) == (2, 2)
    flows = deploy.ok("tooling_flow")["records"]
    assert [(row["VersionNumber"], row["Status"]) for row in flows] == [(1, "Obsolete"), (2, "Active")]
    assert all(row["Id"].startswith("301") for row in flows)



def test_simple_salesforce_deploys_through_the_soap_metadata_api(tls_server: Server, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """simple_salesforce's `deploy` / `checkDeployStatus` (its own envelopes, posted to `…/m/NN.0/deployRequest`)."""
    from simple_salesforce import Salesforce

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_server.ca_file))
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    session = requests.Session()
    session.trust_env = True
    sf = Salesforce(instance_url=tls_server.base_url, session_id=tls_server.token(), session=session,
                    version="62.0")
    package = tmp_path / "package.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("package.xml", '<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>'
                         "Simple_Deployed</members><name>Flow</name></types><version>62.0</version></Package>")
        archive.writestr("flows/Simple_Deployed.flow", DOTTED)
        archive.writestr("flows/Simple_Broken.flow", BROKEN)
    started = sf.deploy(str(package), sandbox=False)
    assert started["asyncId"] and started["asyncId"].startswith("0Af")
    status = sf.checkDeployStatus(started["asyncId"])
    assert status["state"] == "Succeeded", status
    assert tls_server.rows("SELECT Status FROM Flow WHERE ApiName = 'Simple_Deployed'") == [{"Status": "Active"}]
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("package.xml", '<Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>'
                         "Simple_Broken</members><name>Flow</name></types><version>62.0</version></Package>")
        archive.writestr("flows/Simple_Broken.flow", BROKEN)
    failed = sf.checkDeployStatus(sf.deploy(str(package), sandbox=False)["asyncId"])
    assert failed["state"] == "Failed"
    [error] = failed["deployment_detail"]["errors"]  # type: ignore[index]
    assert (error["type"], error["file"], error["status"]) == ("Flow", "flows/Simple_Broken.flow", "Error")
    assert "No_Such_Variable" in error["message"]
