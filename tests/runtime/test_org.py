"""The org as every entry point uses it: platform objects refused to flows, a large project starts and lists
its flows, and each transaction's CPU governor counts only its own thread."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

import pytest

from flowforce.api.app import create_app
from flowforce.engine.settings import EngineSettings
from flowforce.runtime import Org
from flowforce.settings import load_settings
from flowforce.soql import run_soql

from .conftest import CHEAP_AUTH
from .flows import LOC, counter_loop, who_am_i, write_project

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CREATE_FLOW_ROW = f"""<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>Forge Flow</label><processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start>{LOC}<connector><targetReference>Forge</targetReference></connector></start>
  <recordCreates><name>Forge</name><label>Forge</label>{LOC}
    <inputAssignments><field>FullName</field><value><stringValue>Fake-1</stringValue></value></inputAssignments>
    <object>Flow</object><storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>
</Flow>"""


def test_a_flow_cannot_create_flow_records(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", {"Forge_Flow": CREATE_FLOW_ROW})
    settings = load_settings(project_dir=project, database_url=f"sqlite:///{tmp_path / 'store.db'}")
    with Org.open(settings, auth_factory=CHEAP_AUTH) as org:
        run = org.run("Forge_Flow", [{}])
        [result] = run.batch.results
        assert not result.success
        assert result.failure is not None and result.failure.element == "Forge"
        assert result.failure.message == (
            "This error occurred when the flow tried to create records: INVALID_TYPE_FOR_OPERATION: entity type "
            "cannot be inserted: Flow. You can look up ExceptionCode values in the SOAP API Developer Guide.")
        with org.transaction() as tx:
            assert [r["FullName"] for r in run_soql("SELECT FullName FROM Flow", tx).records] == ["Forge_Flow-1"]


def test_a_project_with_500_flows_starts_and_lists_every_one(tmp_path: Path) -> None:
    names = [f"Counter_{number:03}" for number in range(500)]
    project = write_project(tmp_path / "project", {name: counter_loop(name) for name in names})
    settings = load_settings(project_dir=project, database_url=f"sqlite:///{tmp_path / 'store.db'}")
    with Org.open(settings, auth_factory=CHEAP_AUTH) as org:
        org.auth.ensure_dev_org("big@flowforce.test", "big-password-1", "big-client", "big-secret")
        client = TestClient(create_app(settings, org=org))
        token = client.post("/services/oauth2/token", data={
            "grant_type": "client_credentials", "client_id": "big-client", "client_secret": "big-secret"})
        response = client.get("/services/data/v66.0/actions/custom/flow",
                              headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        assert response.status_code == 200
        assert sorted(action["name"] for action in response.json()["actions"]) == names
    # Restarting on the same database keeps every flow record (ids stable, nothing duplicated).
    with Org.open(settings, auth_factory=CHEAP_AUTH) as again, again.transaction() as tx:
        rows = run_soql("SELECT ApiName FROM FlowDefinitionView", tx).records
        assert len(rows) == 500


def test_concurrent_transactions_are_charged_only_their_own_cpu(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", {"Counter_Loop": counter_loop()})
    settings = load_settings(project_dir=project, database_url=f"sqlite:///{tmp_path / 'store.db'}")
    with Org.open(settings, auth_factory=CHEAP_AUTH) as org:
        alone = org.run("Counter_Loop", [{"Times": 150_000}])
        assert alone.batch.all_succeeded
        # A limit the flow fits alone with room to spare, but not if it were charged its neighbour's CPU too.
        limit_ms = max(int(alone.cpu_ms * 1.6), 50)
        org.engine_settings = EngineSettings(cpu_time_limit_ms=limit_ms, trace=False)
        runs: list = []

        def run() -> None:
            runs.append(org.run("Counter_Loop", [{"Times": 150_000}]))

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [result.failure for one in runs for result in one.batch.results] == [None, None]
        assert all(one.cpu_ms < limit_ms for one in runs), ([one.cpu_ms for one in runs], alone.cpu_ms)


def test_record_globals_are_the_running_users(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", {"Who_Am_I": who_am_i()})
    settings = load_settings(project_dir=project, database_url=f"sqlite:///{tmp_path / 'store.db'}",
                             org_name="Acme Org")
    with Org.open(settings, auth_factory=CHEAP_AUTH) as org:
        org.auth.ensure_dev_org("boss@flowforce.test", "boss-password-1", "who-client", "who-secret")
        client = TestClient(create_app(settings, org=org))
        token = client.post("/services/oauth2/token", data={
            "grant_type": "client_credentials", "client_id": "who-client", "client_secret": "who-secret"})
        response = client.post("/services/data/v66.0/actions/custom/flow/Who_Am_I", json={"inputs": [{}]},
                               headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        assert response.status_code == 200, response.text
        outputs = response.json()[0]["outputValues"]
        assert (outputs["UserName"], outputs["ProfileName"], outputs["RoleName"], outputs["OrgName"]) == (
            "boss@flowforce.test", "System Administrator", None, "Acme Org")


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "flow-corpus"


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/flow-corpus is not beside the project")
def test_every_corpus_project_opens_as_an_org(tmp_path: Path) -> None:
    """Real projects' flows (NebulaLogger's descriptions run past the 4,000-character field) all open."""
    for folder in sorted(path for path in CORPUS.iterdir() if path.is_dir()):
        settings = load_settings(project_dir=folder, database_url=f"sqlite:///{tmp_path / (folder.name + '.db')}")
        with Org.open(settings, auth_factory=CHEAP_AUTH) as org:
            assert len(org.library.names()) > 0, folder.name
