"""Loops as a control-flow graph: what runs once per item, behind decisions, fault paths and nested loops."""

from __future__ import annotations

from pathlib import Path

from .kit import ACCOUNTS_VARIABLE, assignment, create_task, decision, findings_of, flow_xml, get_records, lint, loop

BIG = "<numberValue>5</numberValue>"


def test_a_query_behind_a_decision_inside_the_loop_is_in_the_loop(tmp_path: Path) -> None:
    """LFS#305: the scanner misses Get Records behind a decision in the loop body."""
    xml = flow_xml(
        ACCOUNTS_VARIABLE
        + loop("Each_Account", "Accounts", "Is_Big", "Done")
        + decision("Is_Big", [("Big", "Each_Account.NumberOfEmployees", "GreaterThan", BIG, "Find_Owner")],
                   default="Each_Account")
        + get_records("Find_Owner", "User", next="Each_Account", fault="Each_Account", queried=("Id",))
        + create_task("Done", fault="Done_Anyway") + assignment("Done_Anyway", "Accounts",
                                                               "<elementReference>Accounts</elementReference>"),
        first="Each_Account",
    )
    (finding,) = findings_of(lint(tmp_path, xml), "soql-in-loop")
    assert (finding.name, finding.element, finding.message) == (
        "Find_Owner", "Find_Owner", "Find_Owner runs a SOQL query once per item of the loop Each_Account"
    )
    assert finding.details["loop"] == "Each_Account"
    assert findings_of(lint(tmp_path, xml), "dml-in-loop") == []  # Done runs after the loop


def test_work_on_a_branch_that_leaves_the_loop_runs_once(tmp_path: Path) -> None:
    xml = flow_xml(
        ACCOUNTS_VARIABLE
        + loop("Each_Account", "Accounts", "Is_Big")
        + decision("Is_Big", [("Big", "Each_Account.NumberOfEmployees", "GreaterThan", BIG, "Make_Task")],
                   default="Each_Account")
        + create_task("Make_Task", fault="Make_Task_Failed")
        + assignment("Make_Task_Failed", "Accounts", "<elementReference>Accounts</elementReference>"),
        first="Each_Account",
    )
    assert findings_of(lint(tmp_path, xml), "dml-in-loop") == []


def test_a_fault_path_back_to_the_loop_is_in_the_loop_too(tmp_path: Path) -> None:
    xml = flow_xml(
        ACCOUNTS_VARIABLE
        + loop("Each_Account", "Accounts", "Make_Task")
        + create_task("Make_Task", next="Each_Account", fault="Log_Failure")
        + get_records("Log_Failure", "User", next="Each_Account", fault="Each_Account", queried=("Id",)),
        first="Each_Account",
    )
    report = lint(tmp_path, xml)
    assert [finding.name for finding in findings_of(report, "dml-in-loop")] == ["Make_Task"]
    assert [finding.name for finding in findings_of(report, "soql-in-loop")] == ["Log_Failure"]


def test_nested_loops_name_the_innermost_and_list_both(tmp_path: Path) -> None:
    contacts = ("<variables><name>Contacts</name><dataType>SObject</dataType><isCollection>true</isCollection>"
                "<isInput>true</isInput><isOutput>false</isOutput><objectType>Contact</objectType></variables>")
    xml = flow_xml(
        ACCOUNTS_VARIABLE + contacts
        + loop("Each_Account", "Accounts", "Each_Contact")
        + loop("Each_Contact", "Contacts", "Make_Task", "Each_Account")
        + create_task("Make_Task", next="Each_Contact", fault="Each_Contact"),
        first="Each_Account",
    )
    report = lint(tmp_path, xml, settings={"rules": {"cognitive-complexity": {"threshold": 0}}})
    (finding,) = findings_of(report, "dml-in-loop")
    assert finding.details["loops"] == ["Each_Account", "Each_Contact"]
    assert finding.message.endswith("the loop Each_Contact")
    (complexity,) = findings_of(report, "cognitive-complexity")
    assert complexity.name == "3"  # outer loop 1, inner loop 1 + 1 level of nesting


def test_an_element_on_a_fault_path_needs_no_fault_path_of_its_own(tmp_path: Path) -> None:
    """LFS#306: Flow Builder offers no fault connector on an element that is itself on a fault path."""
    xml = flow_xml(
        create_task("Make_Task", fault="Log_Failure") + create_task("Log_Failure"),
        first="Make_Task",
    )
    assert findings_of(lint(tmp_path, xml), "missing-fault-path") == []
