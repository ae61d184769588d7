"""Orchestrator flows (stages and steps) load, pass the activation checks (step outputs such as
`Get_Incident_Status.Outputs.incidentStatus` are resources) and, when invoked, say plainly they are not run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowforce.metadata.parser import parse_flow_file
from flowforce.metadata.validate import validate_flow

from .conftest import TEST_PROJECT, Api, make_settings, open_api

FLOW = Path(__file__).parent / "orchestrator" / "Incident_Orchestration.flow-meta.xml"


def test_stages_and_steps_are_modelled_and_step_outputs_resolve() -> None:
    flow = parse_flow_file(FLOW)
    stage = flow.nodes["Triage"]
    assert [(s.name, s.action_name, s.step_subtype) for s in stage.stage_steps] == [  # type: ignore[attr-defined]
        ("Get_Incident_Status", "Get_Status", "BackgroundStep")]
    assert [str(p) for p in validate_flow(flow) if p.is_error] == []


@pytest.fixture
def orchestrator_api(tmp_path: Path, db_url: str) -> Iterator[Api]:
    project = tmp_path / "project"
    shutil.copytree(TEST_PROJECT, project)
    shutil.copy(FLOW, project / "force-app" / "main" / "default" / "flows")
    yield from open_api(make_settings(project, db_url))


def test_an_orchestration_is_not_invocable_and_running_it_says_why(orchestrator_api: Api) -> None:
    response = orchestrator_api.post("actions/custom/flow/Incident_Orchestration",
                                     json={"inputs": [{"recordId": "500000000000001AAA"}]})
    assert response.status_code == 404
    run = orchestrator_api.org.invoke("Incident_Orchestration", [{"recordId": "500000000000001AAA"}])
    [result] = run.batch.results
    assert result.failure is not None
    assert (result.status.value, result.failure.element, result.failure.message) == (
        "Error", "Triage", "Orchestrator stage Triage isn't run: flowforce loads and checks Orchestrator flows "
        "but doesn't run orchestrations (stages and their steps)")
