"""A before-save flow may only read and change `$Record`: other elements are an error at load, so an `Active` file
is kept as an InvalidDraft (Salesforce would not activate it) and never fires, while the save goes on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flowforce.metadata.parser import parse_flow_bytes
from flowforce.metadata.validate import validate_flow
from flowforce.runtime import Org
from flowforce.settings import load_settings
from flowforce.soql import run_soql

from .conftest import CHEAP_AUTH

CREATES_A_TASK = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Before Save Task</label><processType>AutoLaunchedFlow</processType><status>Active</status>
    <start><connector><targetReference>Mark</targetReference></connector><object>Account</object>
        <recordTriggerType>Create</recordTriggerType><triggerType>RecordBeforeSave</triggerType></start>
    <assignments><name>Mark</name><label>Mark</label>
        <assignmentItems><assignToReference>$Record.Description</assignToReference><operator>Assign</operator>
        <value><stringValue>marked</stringValue></value></assignmentItems>
        <connector><targetReference>Make_Task</targetReference></connector></assignments>
    <recordCreates><name>Make_Task</name><label>Make Task</label>
        <inputAssignments><field>Subject</field><value><stringValue>Call</stringValue></value></inputAssignments>
        <object>Task</object></recordCreates>
</Flow>
"""


@pytest.fixture
def org(tmp_path: Path, db_url: str) -> Iterator[Org]:
    flows = tmp_path / "force-app" / "main" / "default" / "flows"
    flows.mkdir(parents=True)
    (tmp_path / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app", "default": true}]}')
    (flows / "Before_Save_Task.flow-meta.xml").write_text(CREATES_A_TASK)
    with Org.open(load_settings(project_dir=tmp_path, database_url=db_url), auth_factory=CHEAP_AUTH) as opened:
        yield opened


def test_validation_names_the_element_a_before_save_flow_cannot_contain() -> None:
    flow = parse_flow_bytes(CREATES_A_TASK.encode(), api_name="Before_Save_Task")
    errors = [(problem.element, problem.message) for problem in validate_flow(flow) if problem.severity == "error"]
    assert errors == [("Make_Task", "a before-save flow cannot contain a recordCreates element; Salesforce allows "
                                    "only Assignment, Decision, Get Records, Loop, Update Records of $Record, "
                                    "Custom Error and collection elements there — use an after-save flow")]


def test_the_flow_is_refused_at_run_and_the_save_goes_on(org: Org) -> None:
    [loaded] = org.library.versions("Before_Save_Task")
    assert loaded.effective_status == "InvalidDraft"
    assert str(loaded.errors[0]).startswith("the file says Active but Salesforce would not activate it: Element "
                                            "Make_Task: a before-save flow cannot contain a recordCreates element")
    with org.transaction() as tx:
        [result] = tx.insert("Account", [{"Name": "Acme"}])
        assert result.success
        accounts = run_soql("SELECT Name, Description FROM Account", tx).records
        tasks = run_soql("SELECT Subject FROM Task", tx).records
    assert [(row["Name"], row["Description"]) for row in accounts] == [("Acme", None)]
    assert tasks == []
