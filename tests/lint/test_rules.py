"""A minimal flow that triggers each rule, and one beside it that does not (reference/flow-tests-and-rules.md §2.2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from flowforce.lint.rules import RULES

from .kit import (
    ACCOUNTS_VARIABLE,
    action,
    assignment,
    canvas,
    create_task,
    decision,
    findings_of,
    flow_xml,
    get_records,
    lint,
    loop,
    record_start,
    screen,
    update_records,
    variable,
)

ACCOUNTS = ACCOUNTS_VARIABLE
COUNTER = variable("Counter")
IS_TRUE = "<booleanValue>true</booleanValue>"


@dataclass
class Case:
    xml: str
    name: str = "Send_Reminders"
    settings: dict[str, Any] = field(default_factory=dict)


def in_loop(body_first: str, body: str) -> str:
    return flow_xml(ACCOUNTS + COUNTER + loop("Each_Account", "Accounts", body_first) + body, first="Each_Account")


CASES: dict[str, tuple[Case, Case]] = {
    "dml-in-loop": (
        Case(in_loop("Make_Task", create_task("Make_Task", next="Each_Account"))),
        Case(flow_xml(ACCOUNTS + COUNTER + loop("Each_Account", "Accounts", "Count", "Make_Task")
                      + assignment("Count", next="Each_Account") + create_task("Make_Task"), first="Each_Account")),
    ),
    "soql-in-loop": (
        Case(in_loop("Is_Big", decision("Is_Big", [("Big", "Counter", "GreaterThan", "<numberValue>5</numberValue>",
                                                    "Find_Owner")], default="Each_Account")
                     + get_records("Find_Owner", "User", next="Each_Account", fault="Each_Account"))),
        Case(flow_xml(ACCOUNTS + COUNTER + get_records("Find_Owner", "User", next="Each_Account")
                      + loop("Each_Account", "Accounts", "Count") + assignment("Count", next="Each_Account"),
                      first="Find_Owner")),
    ),
    "action-call-in-loop": (
        Case(in_loop("Post", action("Post", next="Each_Account"))),
        Case(flow_xml(ACCOUNTS + COUNTER + loop("Each_Account", "Accounts", "Count", "Post")
                      + assignment("Count", next="Each_Account") + action("Post"), first="Each_Account")),
    ),
    "transform-instead-of-loop": (
        Case(in_loop("Count", assignment("Count", next="Each_Account"))),
        Case(in_loop("Is_Big", decision("Is_Big", [("Big", "Counter", "GreaterThan", "<numberValue>5</numberValue>",
                                                    "Each_Account")], default="Each_Account"))),
    ),
    "hardcoded-id": (
        Case(flow_xml(variable("OwnerId", "String") + assignment(
            "Set_Owner", "OwnerId", "<stringValue>0051t000003bCzX</stringValue>"), first="Set_Owner")),
        Case(flow_xml(variable("OwnerId", "String") + assignment(
            "Set_Owner", "OwnerId", "<elementReference>$User.Id</elementReference>"), first="Set_Owner")),
    ),
    "hardcoded-url": (
        Case(flow_xml(variable("Link", "String") + assignment(
            "Set_Link", "Link", "<stringValue>https://acme.my.salesforce.com/lightning/page/home</stringValue>"),
            first="Set_Link")),
        Case(flow_xml(variable("Link", "String") + assignment(
            "Set_Link", "Link", "<stringValue>https://example.com/help</stringValue>"), first="Set_Link")),
    ),
    "hardcoded-secret": (
        Case(flow_xml(variable("Header", "String") + assignment(
            "Set_Header", "Header", "<stringValue>Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0</stringValue>"),
            first="Set_Header")),
        Case(flow_xml(variable("Header", "String") + assignment(
            "Set_Header", "Header", "<stringValue>Bearer {!Header}</stringValue>"), first="Set_Header")),
    ),
    "process-builder-usage": (
        Case(flow_xml(COUNTER + assignment("Count"), first="Count", process_type="Workflow")),
        Case(flow_xml(COUNTER + assignment("Count"), first="Count")),
    ),
    "unsafe-running-context": (
        Case(flow_xml(COUNTER + assignment("Count"), first="Count",
                      header="<runInMode>SystemModeWithoutSharing</runInMode>")),
        Case(flow_xml(COUNTER + assignment("Count"), first="Count",
                      header="<runInMode>SystemModeWithSharing</runInMode>")),
    ),
    "duplicate-dml": (
        Case(flow_xml(screen("Ask", "Make_Task") + create_task("Make_Task", "Thanks", "Thanks")
                      + screen("Thanks"), first="Ask", process_type="Flow")),
        Case(flow_xml(screen("Ask", "Make_Task") + create_task("Make_Task", "Thanks", "Thanks")
                      + screen("Thanks", allow_back=False), first="Ask", process_type="Flow")),
    ),
    "missing-fault-path": (
        Case(flow_xml(COUNTER + create_task("Make_Task"), first="Make_Task")),
        Case(flow_xml(COUNTER + create_task("Make_Task", fault="Count") + assignment("Count"), first="Make_Task")),
    ),
    "missing-null-handler": (
        Case(flow_xml(variable("Name", "String") + get_records("Find", next="Copy_Name", queried=("Name",))
                      + assignment("Copy_Name", "Name", "<elementReference>Find.Name</elementReference>"),
                      first="Find")),
        Case(flow_xml(variable("Name", "String") + get_records("Find", next="Found", queried=("Name",))
                      + decision("Found", [("Yes", "Find", "IsNull", "<booleanValue>false</booleanValue>",
                                            "Copy_Name")])
                      + assignment("Copy_Name", "Name", "<elementReference>Find.Name</elementReference>"),
                      first="Find")),
    ),
    "recursive-record-update": (
        Case(flow_xml(update_records("Touch", "$Record"), start=record_start("Touch", filters=True),
                      header="<triggerOrder>10</triggerOrder>")),
        Case(flow_xml(get_records("Find_Owner", "User", next="Touch", queried=("Id",))
                      + update_records("Touch", "Find_Owner"), start=record_start("Find_Owner", filters=True),
                      header="<triggerOrder>10</triggerOrder>")),
    ),
    "get-record-all-fields": (
        Case(flow_xml(get_records("Find"), first="Find")),
        Case(flow_xml(get_records("Find", queried=("Id", "Name")), first="Find")),
    ),
    "inactive-flow": (
        Case(flow_xml(COUNTER + assignment("Count"), first="Count", status="Draft")),
        Case(flow_xml(COUNTER + assignment("Count"), first="Count")),
    ),
    "invalid-api-version": (
        Case(flow_xml(COUNTER + assignment("Count"), first="Count", api_version="45.0")),
        Case(flow_xml(COUNTER + assignment("Count"), first="Count", api_version="58.0")),
    ),
    "missing-record-trigger-filter": (
        Case(flow_xml(COUNTER + assignment("Count"), start=record_start("Count"))),
        Case(flow_xml(COUNTER + assignment("Count"), start=record_start("Count", filters=True))),
    ),
    "same-record-field-updates": (
        Case(flow_xml(update_records("Touch", "$Record"),
                      start=record_start("Touch", "RecordBeforeSave", filters=True))),
        Case(flow_xml(assignment("Touch", "$Record.Name", "<stringValue>Acme</stringValue>"),
                      start=record_start("Touch", "RecordBeforeSave", filters=True))),
    ),
    "cognitive-complexity": (
        Case(in_loop("Is_Big", decision("Is_Big", [("Big", "Counter", "GreaterThan", "<numberValue>5</numberValue>",
                                                    "Each_Account")], default="Each_Account")),
             settings={"rules": {"cognitive-complexity": {"threshold": 2}}}),
        Case(flow_xml(ACCOUNTS + COUNTER + decision("Is_Big", [("Big", "Counter", "GreaterThan",
                                                                 "<numberValue>5</numberValue>", "Each_Account")],
                                                    default="Each_Account")
                      + loop("Each_Account", "Accounts", "Count") + assignment("Count", next="Each_Account"),
                      first="Is_Big"),
             settings={"rules": {"cognitive-complexity": {"threshold": 2}}}),
    ),
    "excessive-cyclomatic-complexity": (
        Case(flow_xml(COUNTER + decision("Size", [("Big", "Counter", "GreaterThan", "<numberValue>5</numberValue>",
                                                   "Count"), ("Small", "Counter", "LessThan",
                                                              "<numberValue>2</numberValue>", "Count")])
                      + assignment("Count"), first="Size"),
             settings={"rules": {"CyclomaticComplexity": {"threshold": 3}}}),
        Case(flow_xml(COUNTER + decision("Size", [("Big", "Counter", "GreaterThan", "<numberValue>5</numberValue>",
                                                   "Count")]) + assignment("Count"), first="Size"),
             settings={"rules": {"CyclomaticComplexity": {"threshold": 3}}}),
    ),
    "unspecified-trigger-order": (
        Case(flow_xml(COUNTER + assignment("Count"), start=record_start("Count", filters=True))),
        Case(flow_xml(COUNTER + assignment("Count"), start=record_start("Count", filters=True),
                      header="<triggerOrder>20</triggerOrder>")),
    ),
    "record-id-as-string": (
        Case(flow_xml(variable("recordId", "String", is_input=True) + COUNTER + assignment("Count"), first="Count")),
        Case(flow_xml(variable("recordId", "SObject", is_input=True, object_type="Account") + COUNTER
                      + assignment("Count"), first="Count")),
    ),
    "invalid-naming-convention": (
        Case(flow_xml(COUNTER + assignment("Count"), first="Count"), name="SendReminders"),
        Case(flow_xml(COUNTER + assignment("Count"), first="Count"), name="Sales_SendReminders"),
    ),
    "missing-flow-description": (
        Case(flow_xml(COUNTER + assignment("Count"), first="Count", description=None)),
        Case(flow_xml(COUNTER + assignment("Count"), first="Count")),
    ),
    "missing-metadata-description": (
        Case(flow_xml(COUNTER + assignment("Count"), first="Count")),
        Case(flow_xml(COUNTER + assignment("Count", description="Counts one more."), first="Count")),
    ),
    "unclear-api-naming": (
        Case(flow_xml(COUNTER + assignment("Copy_1_of_Count"), first="Copy_1_of_Count")),
        Case(flow_xml(COUNTER + assignment("Count_Again"), first="Count_Again")),
    ),
    "unreachable-element": (
        Case(flow_xml(COUNTER + assignment("Count") + assignment("Count_Twice"), first="Count")),
        Case(flow_xml(COUNTER + assignment("Count", next="Count_Twice") + assignment("Count_Twice"), first="Count")),
    ),
    "unused-variable": (
        Case(flow_xml(COUNTER + variable("Spare") + assignment("Count"), first="Count")),
        Case(flow_xml(COUNTER + variable("Spare")
                      + assignment("Count", value="<elementReference>Spare</elementReference>"), first="Count")),
    ),
    "missing-auto-layout": (
        Case(flow_xml(canvas("FREE_FORM_CANVAS") + COUNTER + assignment("Count"), first="Count")),
        Case(flow_xml(COUNTER + assignment("Count"), first="Count")),
    ),
    "missing-start-reference": (
        Case(flow_xml(COUNTER + assignment("Count"))),
        Case(flow_xml(COUNTER + assignment("Count"), first="Count")),
    ),
}


def test_every_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(rule.id for rule in RULES)
    assert len(RULES) == 30


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_flags_its_minimal_flow(rule: str, tmp_path: Path) -> None:
    case = CASES[rule][0]
    found = findings_of(lint(tmp_path, case.xml, case.name, case.settings), rule)
    assert found, f"{rule} did not flag its flow"
    assert all(finding.position.line > 1 for finding in found)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_stays_quiet_on_the_fixed_flow(rule: str, tmp_path: Path) -> None:
    case = CASES[rule][1]
    assert findings_of(lint(tmp_path, case.xml, case.name, case.settings), rule) == []
