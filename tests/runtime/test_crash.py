"""Crash safety of the queue: `kill -9` the server while 1,000 asynchronous interviews are queued, start it
again, and every interview runs exactly once — no record lost, none made twice (SQLite and PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_server import admin_client, start_server
from scratch_db import scratch_database

from .flows import slow_account, write_project

INTERVIEWS = 1000


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with scratch_database(request.param, f"sqlite:///{tmp_path / 'store.db'}", "ff_crash") as url:
        yield url


def count(api: httpx.Client, soql: str) -> int:
    response = api.get("query", params={"q": soql})
    assert response.status_code == 200, response.text
    return int(response.json()["totalSize"])


def wait_for(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_killed_mid_queue_every_interview_runs_exactly_once(tmp_path: Path, db_url: str) -> None:
    # Each interview counts to 500 first, so the queue takes seconds and the kill lands while it drains.
    project = write_project(tmp_path / "project", {"Make_Account_Later": slow_account(500)})
    (project / "flowforce.toml").write_text('[flows.Make_Account_Later]\nrun = "async"\n')
    small_batches = {"FLOWFORCE_JOB_BATCH_SIZE": "10"}  # many transactions, so the kill lands among them
    process, base = start_server(project, db_url, env=small_batches)
    try:
        with admin_client(base) as api:
            names = [f"Crash {number:04}" for number in range(INTERVIEWS)]
            accepted = api.post("actions/custom/flow/Make_Account_Later",
                                json={"inputs": [{"AccountName": name} for name in names]})
            assert accepted.status_code == 200, accepted.text
            assert {r["outputValues"]["Flow__InterviewStatus"] for r in accepted.json()} == {"Started"}
            assert wait_for(lambda: count(api, "SELECT Id FROM Account WHERE Name LIKE 'Crash%'") >= 20, 60)
    finally:
        process.kill()  # SIGKILL: no shutdown, transactions cut off wherever they are
        process.wait(timeout=10)
    done_before = None
    process, base = start_server(project, db_url, env=small_batches)
    try:
        with admin_client(base) as api:
            done_before = count(api, "SELECT Id FROM FlowInterview WHERE InterviewStatus = 'Completed'")
            assert done_before < INTERVIEWS, "the kill came too late to cut the queue"
            finished = wait_for(lambda: count(
                api, "SELECT Id FROM FlowInterview WHERE InterviewStatus = 'Completed'") == INTERVIEWS, 240)
            assert finished, count(api, "SELECT Id FROM FlowInterview WHERE InterviewStatus = 'Completed'")
            assert count(api, "SELECT Id FROM Account WHERE Name LIKE 'Crash%'") == INTERVIEWS
            groups = api.get("query", params={"q": "SELECT Name, COUNT(Id) n FROM Account WHERE Name LIKE 'Crash%' "
                                                   "GROUP BY Name HAVING COUNT(Id) > 1"}).json()
            assert groups["totalSize"] == 0, groups["records"][:5]
            assert count(api, "SELECT Id FROM FlowInterview WHERE InterviewStatus != 'Completed'") == 0
    finally:
        process.terminate()
        process.wait(timeout=10)
