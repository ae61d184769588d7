"""Interviews that live: waits resumed by the clock, paused state that survives a restart and subflows,
asynchronous runs from the queue, and FlowInterview records over REST and SOQL (seed 002), on both stores."""

from __future__ import annotations

import datetime as dt
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from scratch_db import scratch_database

from flowforce.api.app import create_app
from flowforce.clock import ControllableClock
from flowforce.runtime import Org
from flowforce.settings import load_settings

from .conftest import CHEAP_AUTH
from .flows import create_account, failing, on_demand_greeting, parent_of, wait_then_greet, write_project

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
CORPUS_WAIT = Path(__file__).resolve().parents[3] / "shared" / "flow-corpus" / "alexed1__LightningFlowComponents" \
    / "Wait_3_Days.flow-meta.xml"


class Client:
    """An admin's REST client on an org whose clock starts frozen at START."""

    def __init__(self, org: Org) -> None:
        org.auth.ensure_dev_org("ops@flowforce.test", "ops-password-1", "ops-client", "ops-secret")
        self.org = org
        self.http = TestClient(create_app(org.settings, org=org))
        token = self.http.post("/services/oauth2/token", data={
            "grant_type": "client_credentials", "client_id": "ops-client", "client_secret": "ops-secret"})
        self.headers = {"Authorization": f"Bearer {token.json()['access_token']}"}

    def post(self, path: str, body: object) -> object:
        return self.http.post(self.url(path), json=body, headers=self.headers)

    def get(self, path: str, **params: str) -> object:
        return self.http.get(self.url(path), params=params, headers=self.headers)

    def delete(self, path: str) -> object:
        return self.http.delete(self.url(path), headers=self.headers)

    def url(self, path: str) -> str:
        return path if path.startswith("/") else f"/services/data/v66.0/{path}"

    def soql(self, text: str) -> list[dict]:
        response = self.get("query", q=text)
        assert response.status_code == 200, response.text  # type: ignore[attr-defined]
        return list(response.json()["records"])  # type: ignore[attr-defined]

    def advance(self, seconds: float) -> dict:
        response = self.post("/_flowforce/clock", {"advance_seconds": seconds})
        assert response.status_code == 200, response.text  # type: ignore[attr-defined]
        return dict(response.json())  # type: ignore[attr-defined]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    flows = {"Greet_Later": wait_then_greet(1), "Parent_Greeter": parent_of("Greet_Later"),
             "Make_Account_Later": create_account(), "On_Demand": on_demand_greeting(), "Failing": failing()}
    root = write_project(tmp_path / "project", flows)
    (root / "flowforce.toml").write_text('[flows.Make_Account_Later]\nrun = "async"\n')
    if CORPUS_WAIT.exists():
        shutil.copy(CORPUS_WAIT, root / "force-app" / "main" / "default" / "flows")
    return root


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_database(request.param, f"sqlite:///{tmp_path / 'store.db'}", "ff_interviews") as url:
        yield url


def open_org(project: Path, db_url: str) -> Org:
    settings = load_settings(project_dir=project, database_url=db_url, worker_threads=0)
    return Org.open(settings, auth_factory=CHEAP_AUTH, clock=ControllableClock(START))


@pytest.fixture
def client(project: Path, db_url: str) -> Iterator[Client]:
    with open_org(project, db_url) as org:
        yield Client(org)


def invoke(client: Client, flow: str, *inputs: dict) -> list[dict]:
    response = client.post(f"actions/custom/flow/{flow}", {"inputs": list(inputs)})
    assert response.status_code in (200, 400), response.text  # type: ignore[attr-defined]
    return list(response.json())  # type: ignore[attr-defined]


def interview(client: Client, guid: str) -> dict:
    [row] = client.soql(f"SELECT Id, InterviewStatus, CurrentElement, HasFinished, Error FROM FlowInterview "
                        f"WHERE Guid = '{guid}'")
    return row


def test_a_wait_pauses_and_the_clock_resumes_it(client: Client) -> None:
    [result] = invoke(client, "Greet_Later", {"Name": "Ada"})
    assert result["isSuccess"] is True
    guid = result["outputValues"]["Flow__InterviewGuid"]
    assert result["outputValues"] == {"Greeting": None, "Flow__InterviewGuid": guid,
                                      "Flow__InterviewStatus": "Waiting"}
    paused = interview(client, guid)
    assert (paused["InterviewStatus"], paused["CurrentElement"], paused["HasFinished"]) == ("Paused", "Pause", False)
    client.advance(3599)  # one second early: still paused
    assert interview(client, guid)["InterviewStatus"] == "Paused"
    assert client.advance(1)["jobsRun"] >= 1
    done = interview(client, guid)
    assert (done["InterviewStatus"], done["CurrentElement"], done["HasFinished"]) == ("Completed", None, True)
    body = client.get(f"sobjects/FlowInterview/{done['Id']}").json()  # type: ignore[attr-defined]
    assert body["outputs"] == [{"name": "Greeting", "value": "Hello Ada"}]
    assert body["InterviewStatus"] == "Completed" and body["HasFinished"] is True


def test_a_paused_interview_survives_a_restart(project: Path, db_url: str) -> None:
    with open_org(project, db_url) as org:
        [result] = Client(org).post("actions/custom/flow/Greet_Later", {"inputs": [{"Name": "Bo"}]}).json()  # type: ignore[attr-defined]
    guid = result["outputValues"]["Flow__InterviewGuid"]
    with open_org(project, db_url) as again:  # a new process: nothing but the database carries over
        client = Client(again)
        assert interview(client, guid)["InterviewStatus"] == "Paused"
        client.advance(3600)
        row = interview(client, guid)
        assert row["InterviewStatus"] == "Completed"
        outputs = client.get(f"sobjects/FlowInterview/{row['Id']}").json()["outputs"]  # type: ignore[attr-defined]
        assert outputs == [{"name": "Greeting", "value": "Hello Bo"}]


def test_a_pause_inside_a_subflow_resumes_the_parent(client: Client) -> None:
    [result] = invoke(client, "Parent_Greeter", {"Name": "Cy"})
    guid = result["outputValues"]["Flow__InterviewGuid"]
    assert result["outputValues"]["Flow__InterviewStatus"] == "Waiting"
    assert interview(client, guid)["CurrentElement"] == "Pause"  # the Wait inside the child
    client.advance(3600)
    row = interview(client, guid)
    assert row["InterviewStatus"] == "Completed"
    outputs = client.get(f"sobjects/FlowInterview/{row['Id']}").json()["outputs"]  # type: ignore[attr-defined]
    assert outputs == [{"name": "Said", "value": "Hello Cy"}, {"name": "Loud", "value": "Hello Cy!"}]


@pytest.mark.skipif(not CORPUS_WAIT.exists(), reason="../shared/flow-corpus is not beside the project")
def test_the_corpus_wait_3_days_flow_waits_three_days(client: Client) -> None:
    [result] = invoke(client, "Wait_3_Days", {})
    guid = result["outputValues"]["Flow__InterviewGuid"]
    client.advance(3 * 86400 - 60)
    assert interview(client, guid)["InterviewStatus"] == "Paused"
    client.advance(60)
    row = interview(client, guid)
    assert row["InterviewStatus"] == "Completed"
    outputs = client.get(f"sobjects/FlowInterview/{row['Id']}").json()["outputs"]  # type: ignore[attr-defined]
    assert outputs == [{"name": "WaitingPeriodElapsed", "value": True}]


def test_an_async_flow_answers_at_once_and_runs_from_the_queue(client: Client) -> None:
    results = invoke(client, "Make_Account_Later", {"AccountName": "Later One"}, {"AccountName": "Later Two"})
    assert [r["outputValues"]["Flow__InterviewStatus"] for r in results] == ["Started", "Started"]
    assert all(r["isSuccess"] for r in results)
    assert client.soql("SELECT Name FROM Account") == [] or all(
        r["Name"] not in ("Later One", "Later Two") for r in client.soql("SELECT Name FROM Account"))
    assert client.org.jobs.run_due() == 2
    names = sorted(r["Name"] for r in client.soql("SELECT Name FROM Account WHERE Name LIKE 'Later%'"))
    assert names == ["Later One", "Later Two"]
    for result in results:
        row = interview(client, result["outputValues"]["Flow__InterviewGuid"])
        assert row["InterviewStatus"] == "Completed"
        outputs = client.get(f"sobjects/FlowInterview/{row['Id']}").json()["outputs"]  # type: ignore[attr-defined]
        assert outputs[0]["name"] == "AccountId" and outputs[0]["value"].startswith("001")


def test_an_async_flow_refuses_a_bad_input_at_once(client: Client) -> None:
    [result] = invoke(client, "Make_Account_Later", {"Nope": 1})
    assert result["isSuccess"] is False and result["actionName"] is None
    assert client.soql("SELECT Id FROM FlowInterview") == []


def test_on_demand_flows_run_async_and_accept_their_standard_inputs(client: Client) -> None:
    describe = client.get("actions/custom/flow/On_Demand").json()  # type: ignore[attr-defined]
    assert [i["name"] for i in describe["inputs"]] == ["EmailAddress", "IndividualId", "TelephoneNumber"]
    assert [i["required"] for i in describe["inputs"]] == [False, True, False]
    # Seed 003's exact request body: accepted at once; its placeholder address fails the Contact's save later.
    [seeded] = invoke(client, "On_Demand", {"EmailAddress": "[email protected]", "IndividualId": "003Ho00002AlRM8IAN"})
    assert seeded["isSuccess"] is True and seeded["outputValues"]["Flow__InterviewStatus"] == "Started"
    [real] = invoke(client, "On_Demand", {"EmailAddress": "jane@example.com", "IndividualId": "003Ho00002AlRM8IAN"})
    assert client.org.jobs.run_due() >= 2
    assert [r["Email"] for r in client.soql("SELECT Email FROM Contact WHERE LastName = 'Demand'")] == \
        ["jane@example.com"]
    assert interview(client, real["outputValues"]["Flow__InterviewGuid"])["InterviewStatus"] == "Completed"
    failed = interview(client, seeded["outputValues"]["Flow__InterviewGuid"])
    assert failed["InterviewStatus"] == "Error" and "INVALID_EMAIL_ADDRESS" in failed["Error"]


def test_a_failed_interview_is_kept_with_its_error(client: Client) -> None:
    [result] = invoke(client, "Failing", {})
    assert result["isSuccess"] is False
    row = interview(client, result["outputValues"]["Flow__InterviewGuid"])
    assert (row["InterviewStatus"], row["CurrentElement"], row["HasFinished"]) == ("Error", "Make", True)
    assert row["Error"].startswith("This error occurred when the flow tried to create records: "
                                   "REQUIRED_FIELD_MISSING")


def test_seed_002_starts_reads_and_deletes_interviews(client: Client) -> None:
    created = client.post("sobjects/FlowInterview", {"FlowDefinitionView": {"ApiName": "Greet_Later"},
                                                     "inputs": [{"name": "Name", "value": "Di"}]})
    assert created.status_code == 201, created.text  # type: ignore[attr-defined]
    body = created.json()  # type: ignore[attr-defined]
    assert body["success"] is True and body["errors"] == [] and body["id"].startswith("0Fo")
    read = client.get(f"sobjects/FlowInterview/{body['id']}").json()  # type: ignore[attr-defined]
    assert (read["InterviewStatus"], read["CurrentElement"], read["HasFinished"]) == ("Paused", "Pause", False)
    assert read["outputs"] == [{"name": "Greeting", "value": None}]
    assert client.delete(f"sobjects/FlowInterview/{body['id']}").status_code == 204  # type: ignore[attr-defined]
    assert client.get(f"sobjects/FlowInterview/{body['id']}").status_code == 404  # type: ignore[attr-defined]
    client.advance(3600)  # its resume finds nothing to do
    assert client.soql("SELECT Id FROM FlowInterview") == []


def test_seed_002_runs_a_finishing_flow_and_keeps_its_record(client: Client) -> None:
    created = client.post("sobjects/FlowInterview", {"FlowDefinitionView": {"ApiName": "Make_Account_Later"},
                                                     "inputs": [{"name": "AccountName", "value": "Seeded"}]})
    assert created.status_code == 201, created.text  # type: ignore[attr-defined]
    client.org.jobs.run_due()
    read = client.get(f"sobjects/FlowInterview/{created.json()['id']}").json()  # type: ignore[attr-defined]
    assert read["InterviewStatus"] == "Completed" and read["HasFinished"] is True


def test_seed_002_errors(client: Client) -> None:
    missing = client.post("sobjects/FlowInterview", {"inputs": []})
    assert missing.status_code == 400  # type: ignore[attr-defined]
    assert missing.json()[0]["errorCode"] == "REQUIRED_FIELD_MISSING"  # type: ignore[attr-defined]
    unknown = client.post("sobjects/FlowInterview", {"FlowDefinitionView": {"ApiName": "No_Such_Flow"}})
    assert unknown.status_code == 404  # type: ignore[attr-defined]
    bad_input = client.post("sobjects/FlowInterview", {"FlowDefinitionView": {"ApiName": "Greet_Later"},
                                                       "inputs": [{"name": "Nope", "value": 1}]})
    assert bad_input.status_code == 400  # type: ignore[attr-defined]
    assert "Nope" in bad_input.json()[0]["message"]  # type: ignore[attr-defined]


def test_flow_interviews_describe_and_query(client: Client) -> None:
    describe = client.get("sobjects/FlowInterview/describe").json()  # type: ignore[attr-defined]
    assert describe["keyPrefix"] == "0Fo" and describe["createable"] is False and describe["deletable"] is True
    invoke(client, "Greet_Later", {"Name": "A"}, {"Name": "B"})
    invoke(client, "Failing", {})
    rows = client.soql("SELECT InterviewStatus, COUNT(Id) n FROM FlowInterview GROUP BY InterviewStatus "
                       "ORDER BY InterviewStatus")
    assert [(r["InterviewStatus"], r["n"]) for r in rows] == [("Error", 1), ("Paused", 2)]


def test_the_clock_routes_are_for_administrators(client: Client) -> None:
    assert client.http.get("/_flowforce/clock").status_code == 401
    now = client.get("/_flowforce/clock").json()  # type: ignore[attr-defined]
    assert now == {"now": "2026-01-05T09:00:00.000+0000", "frozen": True}
    moved = client.post("/_flowforce/clock", {"now": "2026-02-01T00:00:00Z"}).json()  # type: ignore[attr-defined]
    assert moved["now"] == "2026-02-01T00:00:00.000+0000" and moved["frozen"] is True
    bad = client.post("/_flowforce/clock", {"advance_seconds": "soon"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    user = client.org.auth.add_user("plain@flowforce.test", "plain-password-1", profile="Standard User")
    token = client.http.post("/services/oauth2/token", data={
        "grant_type": "password", "client_id": "ops-client", "client_secret": "ops-secret",
        "username": "plain@flowforce.test", "password": "plain-password-1" + user.security_token}).json()
    refused = client.http.get("/_flowforce/clock", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert refused.status_code == 403 and refused.json()[0]["errorCode"] == "INSUFFICIENT_ACCESS"


def test_a_resumed_interview_keeps_its_whole_trace(client: Client) -> None:
    client.org.engine_settings = replace(client.org.engine_settings, trace=True)  # FLOWFORCE_TRACE=1
    [result] = invoke(client, "Greet_Later", {"Name": "Ed"})
    guid = result["outputValues"]["Flow__InterviewGuid"]
    client.advance(3600)
    row = interview(client, guid)
    stored = client.org.interviews.stored(row["Id"])
    assert stored is not None and stored.trace is not None
    assert [(entry["element"], entry["outcome"]) for entry in stored.trace] == [
        ("Pause", "paused"), ("Pause", "resumed: Later"), ("Greet", None)]
