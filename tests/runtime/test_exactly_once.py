"""Exactly-once actions under the bulk retry: when one interview of a batch fails, the others are rolled back
and run again (reference/flow-metadata.md §7.1); their actions must not be called again, and what the actions
send must leave once per surviving interview, after commit, and never for the failed one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowforce.actions.registry import ActionRegistry
from flowforce.engine.action_context import ActionContext
from flowforce.metadata.parser import parse_flow_bytes
from flowforce.runtime import Org
from flowforce.soql import run_soql

LOC = "<locationX>0</locationX><locationY>0</locationY>"


def flow_with_action(action_name: str):  # type: ignore[no-untyped-def]
    """Call the action, then create a Contact named by the input: an empty name fails the save (no fault path)."""
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>Notify Then Save</label><processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start>{LOC}<connector><targetReference>Notify</targetReference></connector></start>
  <variables><name>LastName</name><dataType>String</dataType><isCollection>false</isCollection>
    <isInput>true</isInput><isOutput>false</isOutput></variables>
  <actionCalls><name>Notify</name><label>Notify</label>{LOC}<actionName>{action_name}</actionName>
    <actionType>apex</actionType><connector><targetReference>Save</targetReference></connector>
    <inputParameters><name>name</name><value><elementReference>LastName</elementReference></value></inputParameters>
  </actionCalls>
  <recordCreates><name>Save</name><label>Save</label>{LOC}
    <inputAssignments><field>LastName</field><value><elementReference>LastName</elementReference></value>
    </inputAssignments><object>Contact</object><storeOutputAutomatically>true</storeOutputAutomatically>
  </recordCreates>
</Flow>"""
    return parse_flow_bytes(xml.encode(), api_name="Notify_Then_Save")


@dataclass
class Notifier:
    """Counts its calls and, per request, sends a message after commit (as email or SMS actions do)."""

    name: str = "Notifier"
    action_type: str = "apex"
    label: str = "Notifier"
    description: str | None = None
    inputs: Sequence[Any] = ()
    outputs: Sequence[Any] = ()
    calls: list[list[str]] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)

    def invoke(self, requests: Sequence[Mapping[str, Any]], context: ActionContext) -> list[dict[str, Any]]:
        self.calls.append([request["name"] for request in requests])
        for number, request in enumerate(requests):
            context.after_commit(number, lambda name=request["name"]: self.sent.append(name))
        return [{} for _ in requests]


@dataclass
class TaskWriter(Notifier):
    """Writes a Task per request through the transaction: its call is re-run on retry (its writes were undone)."""

    name: str = "TaskWriter"

    def invoke(self, requests: Sequence[Mapping[str, Any]], context: ActionContext) -> list[dict[str, Any]]:
        self.calls.append([request["name"] for request in requests])
        context.records.insert("Task", [{"Subject": f"Call {request['name']}"} for request in requests])
        return [{} for _ in requests]


def names(org: Org, soql: str, field_name: str) -> list[str]:
    with org.transaction() as tx:
        return sorted(record[field_name] for record in run_soql(soql, tx).records)


def test_a_surviving_interview_calls_its_action_once_and_sends_once(org: Org, actions: ActionRegistry) -> None:
    notifier = Notifier()
    actions.register(notifier)
    run = org.run(flow_with_action("Notifier"), [{"LastName": "Ada"}, {"LastName": ""}, {"LastName": "Bo"}])
    assert [result.success for result in run.batch.results] == [True, False, True]
    assert run.batch.attempts == 2  # the batch really was rolled back and re-run
    assert notifier.calls == [["Ada", "", "Bo"]]
    assert notifier.sent == ["Ada", "Bo"]
    assert names(org, "SELECT LastName FROM Contact", "LastName") == ["Ada", "Bo"]


def test_nothing_is_sent_when_the_run_is_not_committed(org: Org, actions: ActionRegistry) -> None:
    notifier = Notifier()
    actions.register(notifier)
    run = org.run(flow_with_action("Notifier"), [{"LastName": "Ada"}], commit=False)
    assert run.batch.all_succeeded and not run.committed
    assert notifier.calls == [["Ada"]]
    assert notifier.sent == []
    assert names(org, "SELECT LastName FROM Contact", "LastName") == []


def test_an_action_that_writes_records_runs_again_so_its_writes_survive(org: Org, actions: ActionRegistry) -> None:
    writer = TaskWriter()
    actions.register(writer)
    run = org.run(flow_with_action("TaskWriter"), [{"LastName": "Ada"}, {"LastName": ""}, {"LastName": "Bo"}])
    assert [result.success for result in run.batch.results] == [True, False, True]
    assert writer.calls == [["Ada", "", "Bo"], ["Ada", "Bo"]]
    assert names(org, "SELECT Subject FROM Task", "Subject") == ["Call Ada", "Call Bo"]
