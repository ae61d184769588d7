"""Flows change as in an org: versions as records (seed 002), activation over REST and Tooling that survives a
restart and reaches every process, descriptions, and project files reconciled into the stored versions."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from scratch_db import scratch_database

from flowforce.api.app import create_app
from flowforce.runtime import Org
from flowforce.settings import load_settings

from .conftest import CHEAP_AUTH
from .flows import answer, write_project

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BROKEN = answer("broken", status="Draft").replace("<targetReference>Say</targetReference>",
                                                  "<targetReference>Nowhere</targetReference>")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", {
        "Versioned": answer("one", status="Draft"), "Versioned-2": answer("two"), "Versioned-3": BROKEN})


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_database(request.param, f"sqlite:///{tmp_path / 'store.db'}", "ff_versions") as url:
        yield url


def open_org(project: Path, db_url: str) -> Org:
    return Org.open(load_settings(project_dir=project, database_url=db_url, worker_threads=0,
                                  flow_refresh_seconds=0), auth_factory=CHEAP_AUTH)


class Client:
    def __init__(self, org: Org, client_id: str = "v-client") -> None:
        org.auth.ensure_dev_org("flows@flowforce.test", "flows-password-1", client_id, "v-secret")
        self.org = org
        self.http = TestClient(create_app(org.settings, org=org))
        token = self.http.post("/services/oauth2/token", data={
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": "v-secret"}).json()
        self.headers = {"Authorization": f"Bearer {token['access_token']}"}

    def call(self, method: str, path: str, **kwargs: object) -> object:
        return self.http.request(method, f"/services/data/v66.0/{path}", headers=self.headers, **kwargs)

    def soql(self, text: str, tooling: bool = False) -> list[dict]:
        response = self.call("GET", ("tooling/" if tooling else "") + "query", params={"q": text})
        assert response.status_code == 200, response.text  # type: ignore[attr-defined]
        return list(response.json()["records"])  # type: ignore[attr-defined]

    def answer(self) -> str:
        response = self.call("POST", "actions/custom/flow/Versioned", json={"inputs": [{}]})
        assert response.status_code == 200, response.text  # type: ignore[attr-defined]
        return str(response.json()[0]["outputValues"]["Answer"])  # type: ignore[attr-defined]

    def version_id(self, number: int) -> str:
        [row] = self.soql(f"SELECT Id FROM Flow WHERE ApiName = 'Versioned' AND VersionNumber = {number}")
        return str(row["Id"])


@pytest.fixture
def client(project: Path, db_url: str) -> Iterator[Client]:
    with open_org(project, db_url) as org:
        yield Client(org)


def statuses(client: Client) -> list[tuple[int, str]]:
    rows = client.soql("SELECT VersionNumber, Status FROM Flow WHERE ApiName = 'Versioned' ORDER BY VersionNumber")
    return [(row["VersionNumber"], row["Status"]) for row in rows]


def test_seed_002_lists_flows_as_records(client: Client) -> None:
    rows = client.soql("SELECT Id, ApiName, Label, ProcessType, Status, VersionNumber FROM Flow "
                       "WHERE ApiName = 'Versioned' ORDER BY VersionNumber")
    assert [(r["ApiName"], r["VersionNumber"], r["Status"]) for r in rows] == [
        ("Versioned", 1, "Draft"), ("Versioned", 2, "Active"), ("Versioned", 3, "InvalidDraft")]
    assert all(r["Id"].startswith("301") and r["Label"] == "Versioned" for r in rows)
    listed = client.call("GET", "sobjects/Flow", params={"q": "SELECT Id, ApiName, Status FROM Flow "
                                                              "WHERE Status = 'Active' AND ApiName = 'Versioned'"})
    body = listed.json()  # type: ignore[attr-defined]
    assert (body["totalSize"], body["done"], [r["ApiName"] for r in body["records"]]) == (1, True, ["Versioned"])
    assert "objectDescribe" in client.call("GET", "sobjects/Flow").json()  # type: ignore[attr-defined]


def test_activating_a_version_retires_the_active_one_and_the_next_invoke_runs_it(client: Client) -> None:
    assert client.answer() == "two"
    response = client.call("PATCH", f"sobjects/Flow/{client.version_id(1)}", json={"Status": "Active"})
    assert response.status_code == 204, response.text  # type: ignore[attr-defined]
    assert statuses(client) == [(1, "Active"), (2, "Obsolete"), (3, "InvalidDraft")]
    assert client.answer() == "one"
    [view] = client.soql("SELECT ActiveVersionId, IsActive FROM FlowDefinitionView WHERE ApiName = 'Versioned'")
    assert view["ActiveVersionId"] == client.version_id(1) and view["IsActive"] is True


def test_deactivating_leaves_none_active_and_the_latest_runs(client: Client) -> None:
    response = client.call("PATCH", f"sobjects/Flow/{client.version_id(2)}", json={"Status": "Obsolete"})
    assert response.status_code == 204  # type: ignore[attr-defined]
    assert statuses(client) == [(1, "Draft"), (2, "Obsolete"), (3, "InvalidDraft")]
    assert client.answer() == "two"  # no active version: an admin's invoke runs the latest runnable one


def test_activation_survives_a_restart_and_reaches_other_processes(project: Path, db_url: str) -> None:
    with open_org(project, db_url) as first, open_org(project, db_url) as second:
        one, other = Client(first), Client(second, "v-other")
        assert other.answer() == "two"
        assert one.call("PATCH", f"sobjects/Flow/{one.version_id(1)}",  # type: ignore[attr-defined]
                        json={"Status": "Active"}).status_code == 204
        assert other.answer() == "one"  # the other process notices (flow_refresh_seconds=0 here)
    with open_org(project, db_url) as again:
        assert Client(again).answer() == "one"


def test_descriptions_change_and_stay(project: Path, db_url: str) -> None:
    with open_org(project, db_url) as org:
        client = Client(org)
        response = client.call("PATCH", f"sobjects/Flow/{client.version_id(2)}",
                               json={"Description": "Says two."})
        assert response.status_code == 204  # type: ignore[attr-defined]
    with open_org(project, db_url) as again:
        [row] = Client(again).soql("SELECT Description FROM Flow WHERE FullName = 'Versioned-2'")
        assert row["Description"] == "Says two."


def test_activation_errors(client: Client) -> None:
    broken = client.call("PATCH", f"sobjects/Flow/{client.version_id(3)}", json={"Status": "Active"})
    assert broken.status_code == 400  # type: ignore[attr-defined]
    [error] = broken.json()  # type: ignore[attr-defined]
    assert error["errorCode"] == "FIELD_INTEGRITY_EXCEPTION" and "Nowhere" in error["message"]
    bad = client.call("PATCH", f"sobjects/Flow/{client.version_id(1)}", json={"Status": "Sleeping"})
    assert bad.json()[0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"  # type: ignore[attr-defined]
    other = client.call("PATCH", f"sobjects/Flow/{client.version_id(1)}", json={"ProcessType": "Flow"})
    assert other.json()[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"  # type: ignore[attr-defined]
    assert client.call("PATCH", "sobjects/Flow/301000000000000AAA",  # type: ignore[attr-defined]
                       json={"Status": "Active"}).status_code == 404
    assert statuses(client) == [(1, "Draft"), (2, "Active"), (3, "InvalidDraft")]


def test_only_flow_administrators_activate(client: Client) -> None:
    user = client.org.auth.add_user("runner@flowforce.test", "runner-password-1", profile="Standard User")
    token = client.http.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": "v-client", "client_secret": "v-secret",
        "username": "runner@flowforce.test", "password": "runner-password-1" + user.security_token}).json()
    refused = client.http.patch(f"/services/data/v66.0/sobjects/Flow/{client.version_id(1)}",
                                json={"Status": "Active"}, headers={"Authorization": f"Bearer {token['access_token']}"})
    assert refused.status_code == 403 and refused.json()[0]["errorCode"] == "INSUFFICIENT_ACCESS"
    assert statuses(client)[1] == (2, "Active")


def test_tooling_queries_and_activation(client: Client) -> None:
    [definition] = client.soql("SELECT Id, DeveloperName, ActiveVersionId, ActiveVersion.VersionNumber, "
                               "LatestVersion.VersionNumber FROM FlowDefinition WHERE DeveloperName = 'Versioned'",
                               tooling=True)
    assert definition["attributes"]["url"] == f"/services/data/v66.0/tooling/sobjects/FlowDefinition/{definition['Id']}"
    assert (definition["ActiveVersion"]["VersionNumber"], definition["LatestVersion"]["VersionNumber"]) == (2, 3)
    versions = client.soql(f"SELECT VersionNumber, Status FROM Flow WHERE DefinitionId = '{definition['Id']}' "
                           "ORDER BY VersionNumber", tooling=True)
    assert [v["VersionNumber"] for v in versions] == [1, 2, 3]
    response = client.call("PATCH", f"tooling/sobjects/FlowDefinition/{definition['Id']}",
                           json={"Metadata": {"activeVersionNumber": 1}})
    assert response.status_code == 204, response.text  # type: ignore[attr-defined]
    assert client.answer() == "one"
    client.call("PATCH", f"tooling/sobjects/FlowDefinition/{definition['Id']}",
                json={"Metadata": {"activeVersionNumber": 0}})
    assert [status for _, status in statuses(client)] == ["Obsolete", "Obsolete", "InvalidDraft"]
    refused = client.call("GET", "tooling/query", params={"q": "SELECT Id FROM Account"})
    assert refused.status_code == 400 and refused.json()[0]["errorCode"] == "INVALID_TYPE"  # type: ignore[attr-defined]
    record = client.call("GET", f"tooling/sobjects/Flow/{client.version_id(1)}").json()  # type: ignore[attr-defined]
    assert record["FullName"] == "Versioned-1"
    assert record["attributes"]["url"].startswith("/services/data/v66.0/tooling/sobjects/Flow/")


def test_a_changed_file_replaces_its_version_and_takes_its_own_status(project: Path, db_url: str) -> None:
    with open_org(project, db_url) as org:
        client = Client(org)
        client.call("PATCH", f"sobjects/Flow/{client.version_id(1)}", json={"Status": "Active"})
        assert client.answer() == "one"
        file = project / "force-app" / "main" / "default" / "flows" / "Versioned.flow-meta.xml"
        file.write_text(answer("uno", status="Draft"))
        assert org.reload_files() is True
        assert statuses(client) == [(1, "Draft"), (2, "Obsolete"), (3, "InvalidDraft")]
        assert client.answer() == "two"  # nothing active: the latest runnable (v2, whose status the org kept)
        assert org.reload_files() is False  # nothing changed since


def test_serve_reload_picks_up_a_changed_flow_file(tmp_path: Path) -> None:
    import time

    from live_server import admin_client, live_server

    project = write_project(tmp_path / "live", {"Versioned": answer("one")})
    with live_server(project, f"sqlite:///{tmp_path / 'live.db'}", args=("--reload",)) as base, \
            admin_client(base) as api:
        def current() -> str:
            return str(api.post("actions/custom/flow/Versioned", json={"inputs": [{}]}).json()[0]["outputValues"]
                       ["Answer"])

        assert current() == "one"
        (project / "force-app" / "main" / "default" / "flows" / "Versioned.flow-meta.xml").write_text(answer("uno"))
        deadline = time.monotonic() + 20
        while current() != "uno" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert current() == "uno"
