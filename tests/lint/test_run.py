"""`flowforce check --run`: each flow runs on generated inputs through the runtime's Org, and what the runs show
joins the static findings (origin "run")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowforce.lint.command import CheckOptions, lint_paths
from flowforce.lint.config import LintConfig
from flowforce.lint.formats.json_report import report_json
from flowforce.lint.scan import Finding, LintReport

from .kit import (
    ACCOUNTS_VARIABLE,
    assignment,
    create_task,
    decision,
    flow_xml,
    get_records,
    loop,
    record_start,
    update_records,
    variable,
    write_flow,
)

EMPLOYEES = "<numberValue>-1</numberValue>"


def _run(folder: Path) -> LintReport:
    return lint_paths([folder], CheckOptions(run=True), LintConfig())


def _run_findings(report: LintReport, rule: str) -> list[Finding]:
    return [finding for finding in report.findings if finding.rule.id == rule and finding.origin == "run"]


def test_a_query_behind_a_decision_in_a_loop_is_measured_per_item(tmp_path: Path) -> None:
    write_flow(tmp_path, flow_xml(
        ACCOUNTS_VARIABLE
        + loop("Each_Account", "Accounts", "Is_Listed")
        + decision("Is_Listed", [("Listed", "Accounts", "IsNull", "<booleanValue>false</booleanValue>",
                                  "Find_Owner")], default="Each_Account")
        + get_records("Find_Owner", "User", next="Each_Account", fault="Each_Account", queried=("Id",)),
        first="Each_Account",
    ))
    report = _run(tmp_path)
    (finding,) = _run_findings(report, "soql-in-loop")
    assert finding.name == "Find_Owner"
    assert finding.message == (
        "Find_Owner ran 3 times in one interview for the typical input (one SOQL query each time); the "
        "transaction used 3 SOQL queries and 0 DML statements"
    )
    (evidence,) = report_json(report)["evidence"]
    typical, empty = evidence["runs"]
    assert (typical["input"], typical["status"], typical["soqlQueries"], typical["elementRuns"]["Find_Owner"]) == (
        "typical", "Finished", 3, 3
    )
    assert (empty["input"], empty["inputs"], empty["soqlQueries"]) == ("empty", {}, 0)


def test_a_null_record_read_is_observed_and_named(tmp_path: Path) -> None:
    write_flow(tmp_path, flow_xml(
        variable("Name", "String") + variable("recordId", "String", is_input=True)
        + get_records("Find", next="Copy_Name", fault="Copy_Name", queried=("Name",))
        + assignment("Copy_Name", "Name", "<elementReference>Find.Name</elementReference>"),
        first="Find",
    ))
    report = _run(tmp_path)
    (finding,) = _run_findings(report, "missing-null-handler")
    assert finding.element == "Copy_Name"
    assert finding.message.startswith("Copy_Name read Find.Name while it was null for the typical input")
    assert finding.details["fault"] == (
        "The flow failed to access the value for Find.Name because it hasn't been set or assigned."
    )


def test_an_unhandled_fault_is_observed_and_a_fault_path_taken_is_not_a_finding(tmp_path: Path) -> None:
    create = ("<recordCreates><name>Make_Account</name><label>Make_Account</label><locationX>0</locationX>"
              "<locationY>0</locationY><inputAssignments><field>Description</field><value><stringValue>x"
              "</stringValue></value></inputAssignments><object>Account</object>"
              "<storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>")
    write_flow(tmp_path, flow_xml(create, first="Make_Account"))
    report = _run(tmp_path)
    (finding,) = _run_findings(report, "missing-fault-path")
    assert finding.element == "Make_Account"
    assert "Make_Account failed for the empty input and nothing caught it: " in finding.message
    assert "REQUIRED_FIELD_MISSING" in finding.message


def test_elements_no_input_reached_are_reported(tmp_path: Path) -> None:
    write_flow(tmp_path, flow_xml(
        variable("Counter") + decision("Is_Negative", [("Negative", "Counter", "LessThan", EMPLOYEES, "Count")])
        + assignment("Count"),
        first="Is_Negative",
    ))
    report = _run(tmp_path)
    assert [(finding.name, finding.severity.value) for finding in _run_findings(report, "not-visited")] == [
        ("Count", "note")
    ]


def test_a_draft_record_triggered_flow_is_not_run_and_says_why(tmp_path: Path) -> None:
    write_flow(tmp_path, flow_xml(variable("Counter") + assignment("Count"), start=record_start("Count"),
                                  status="Draft"))
    (evidence,) = report_json(_run(tmp_path))["evidence"]
    assert evidence == {
        "flowName": "Send_Reminders", "flowVersion": 1,
        "skipped": "only an active record-triggered flow fires on a save",
    }


def _saved(report: LintReport) -> list[dict[str, object]]:
    return [run for flow in report_json(report)["evidence"] for run in flow["runs"]]


def test_a_self_updating_after_save_flow_is_saved_and_its_trigger_depth_measured(tmp_path: Path) -> None:
    write_flow(tmp_path, flow_xml(update_records("Touch_Account", "$Record"), start=record_start("Touch_Account")))
    report = _run(tmp_path)
    (finding,) = _run_findings(report, "recursive-record-update")
    assert finding.message == (
        "the update of one Account nested trigger firings 2 deep (the flow's own save fired flows again); the "
        "save used 0 SOQL queries and 3 DML statements"
    )
    (run,) = _saved(report)
    assert (run["input"], run["status"], run["triggerDepth"]) == ("update of one Account", "Finished", 2)
    assert _run_findings(report, "not-visited") == []


def test_a_clean_after_save_flow_runs_once_per_save_and_leaves_nothing(tmp_path: Path) -> None:
    write_flow(tmp_path, flow_xml(create_task("Call_Owner"), start=record_start("Call_Owner", record_trigger="Create")))
    report = _run(tmp_path)
    assert [finding.rule.id for finding in report.findings if finding.origin == "run"] == []
    (run,) = _saved(report)
    assert (run["input"], run["status"], run["dmlStatements"], run["triggerDepth"]) == (
        "insert of one Account", "Finished", 2, 1)


MAKE_RECURSIVE = (Path(__file__).resolve().parents[3] / "shared" / "flow-corpus"
                  / "Flow-Scanner__lightning-flow-scanner-core" / "Make_Recursive.flow-meta.xml")


@pytest.mark.skipif(not MAKE_RECURSIVE.is_file(), reason="the flow corpus is not here")
def test_the_scanners_make_recursive_flow_re_fires_on_its_own_case_update(tmp_path: Path) -> None:
    shutil.copy(MAKE_RECURSIVE, tmp_path)
    report = _run(tmp_path)
    (finding,) = _run_findings(report, "recursive-record-update")
    assert finding.message == (
        "the insert of one Case nested trigger firings 2 deep (the flow's own save fired flows again); the save "
        "used 1 SOQL queries and 3 DML statements"
    )
    assert [(run["input"], run["status"], run["soqlQueries"], run["dmlStatements"]) for run in _saved(report)] == [
        ("insert of one Case", "Finished", 1, 3), ("update of one Case", "Finished", 2, 6)]
