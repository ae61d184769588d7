"""Salesforce Flow Test files run by `flowforce test` and collected by pytest, as a user sees their results."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from flowforce.cli import app
from flowforce.testing.flowtests import FlowTestParseError, parse_flow_test

pytest_plugins = ["pytester"]

PROJECT = Path(__file__).parent / "flowtest_project"
TESTS = PROJECT / "force-app" / "main" / "default" / "flowtests"
CORPUS_FLOW = (Path(__file__).resolve().parents[2].parent / "shared" / "flow-corpus" / "steinwinde__flowex"
               / "Create_Contact_Conditionally.flow-meta.xml")


def flow_test(name: str, flow: str, start: str, finish: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<FlowTest xmlns="http://soap.sforce.com/2006/04/metadata">
  <flowApiName>{flow}</flowApiName><label>{name}</label>
  <testPoints><elementApiName>Start</elementApiName>{start}</testPoints>
  <testPoints>{finish}<elementApiName>Finish</elementApiName></testPoints>
</FlowTest>
"""


def record(kind: str, fields: str) -> str:
    return (f"<parameters><leftValueReference>$Record</leftValueReference><type>{kind}</type>"
            f"<value><sobjectValue>{fields}</sobjectValue></value></parameters>")


def assertion(left: str, operator: str, right: str, message: str = "") -> str:
    error = f"<errorMessage>{message}</errorMessage>" if message else ""
    return (f"<assertions><conditions><leftValueReference>{left}</leftValueReference><operator>{operator}</operator>"
            f"<rightValue>{right}</rightValue></conditions>{error}</assertions>")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture project plus a failing test and one whose record misses the entry conditions."""
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy)
    folder = copy / "force-app" / "main" / "default" / "flowtests"
    (folder / "Wrong_Description.flowtest-meta.xml").write_text(flow_test(
        "Wrong", "Energy_Description", record("InputTriggeringRecordInitial",
                                              '{"Name":"Acme","Industry":"Energy","NumberOfEmployees":50}'),
        assertion("$Record.Description", "EqualTo", "<stringValue>Big energy</stringValue>",
                  "Every energy account is big")))
    (folder / "Already_Energy.flowtest-meta.xml").write_text(flow_test(
        "Already", "Energy_Description",
        record("InputTriggeringRecordInitial", '{"Name":"Acme","Industry":"Energy"}')
        + record("InputTriggeringRecordUpdated", '{"Name":"Acme Inc","Industry":"Energy"}'),
        assertion("Set_Small", "WasVisited", "<booleanValue>true</booleanValue>")))
    return copy


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["test", *args])
    return result.exit_code, result.stdout


def test_the_projects_flow_tests_pass_with_coverage_in_json() -> None:
    code, out = run_cli(str(PROJECT), "-r", "json", "-c")
    assert code == 0, out
    result = json.loads(out)["result"]
    assert {key: result["summary"][key] for key in ("outcome", "testsRan", "passing", "failing", "passRate")} == {
        "outcome": "Passed", "testsRan": 3, "passing": 3, "failing": 0, "passRate": "100%"}
    assert sorted((test["FullName"], test["Outcome"]) for test in result["tests"]) == [
        ("Account_Follow_Up.Reminder_Path", "Pass"), ("Energy_Description.Big_Energy", "Pass"),
        ("Energy_Description.Energy_Change", "Pass")]
    assert result["coverage"] == [
        {"flow": "Account_Follow_Up", "percent": 50, "covered": ["Create_Reminder"],
         "uncovered": ["Create_Welcome_Task"]},
        {"flow": "Energy_Description", "percent": 100, "covered": ["Big", "Set_Big", "Set_Small"], "uncovered": []}]


def test_a_failed_assertion_shows_its_message_the_values_and_the_path(project: Path) -> None:
    code, out = run_cli(str(project), "-t", "Energy_Description.Wrong_Description", "-r", "tap")
    assert code == 1
    assert out.splitlines()[:6] == [
        "1..1",
        "not ok 1 Energy_Description.Wrong_Description",
        "# Finish assertion failed: Every energy account is big",
        "#     $Record.Description EqualTo Big energy: failed (actual: Small energy)",
        "# Energy_Description: Finished",
        "#     1. Big (FlowDecision) -> Small  [no outcome is true: default outcome]",
    ]


def test_a_record_that_misses_the_entry_conditions_fails_the_test(project: Path) -> None:
    code, out = run_cli(str(project), "-t", "Already_Energy", "-r", "json")
    assert code == 1
    [test] = json.loads(out)["result"]["tests"]
    # only when a record is updated to meet the conditions: it met them before the update too
    assert (test["Outcome"], test["Message"]) == (
        "Fail", "The triggering record doesn't meet the entry conditions of Energy_Description.")


def test_junit_and_the_output_directory(project: Path, tmp_path: Path) -> None:
    code, out = run_cli(str(project), "--flow", "Energy_Description", "-r", "junit", "-d", str(tmp_path / "out"))
    assert code == 1
    suite = etree.fromstring(out.encode()).find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("4", "2")
    failures = {case.get("name"): case.find("failure") for case in suite.iter("testcase")}
    assert failures["Big_Energy"] is None and failures["Wrong_Description"] is not None
    assert failures["Wrong_Description"].get("message") == "Finish assertion failed: Every energy account is big"
    saved = json.loads((tmp_path / "out" / "test-result.json").read_text())
    assert saved["result"]["summary"]["failing"] == 2
    assert (tmp_path / "out" / "test-result-junit.xml").read_text().startswith("<?xml")


def test_a_test_naming_a_field_the_object_lacks_says_so(project: Path) -> None:
    folder = project / "force-app" / "main" / "default" / "flowtests"
    (folder / "Typo.flowtest-meta.xml").write_text(flow_test(
        "Typo", "Energy_Description", record("InputTriggeringRecordInitial", '{"Name":"A","Industy":"Energy"}'), ""))
    code, out = run_cli(str(project), "-t", "Typo", "-r", "json")
    assert code == 1
    assert json.loads(out)["result"]["tests"][0]["Message"] == (
        "the test's Account record sets Industy, which Account doesn't have")


def test_files_that_are_not_flow_tests_are_refused_clearly(tmp_path: Path) -> None:
    other = tmp_path / "Other.flowtest-meta.xml"
    other.write_text('<Flow xmlns="http://soap.sforce.com/2006/04/metadata"/>')
    with pytest.raises(FlowTestParseError, match="the root element is <Flow>, not <FlowTest>"):
        parse_flow_test(other)
    hostile = tmp_path / "Hostile.flowtest-meta.xml"
    hostile.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                       "<FlowTest><flowApiName>&e;</flowApiName></FlowTest>")
    with pytest.raises(FlowTestParseError, match="DOCTYPE and ENTITY declarations are not allowed"):
        parse_flow_test(hostile)


def test_the_official_samples_tolerances_are_read() -> None:
    test = parse_flow_test(TESTS / "Reminder_Path.flowtest-meta.xml")
    [path] = test.parameters("ScheduledPath")
    [start] = test.parameters("InputTriggeringRecordInitial")
    assert (path.value.show(), start.value.record) == ("One_Day_Later", {"Name": "Globex"})  # stray } forgiven


def test_pytest_collects_flow_test_files(pytester: pytest.Pytester, project: Path) -> None:
    result = pytester.runpytest_inprocess(str(project / "force-app"), "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines(["*Finish assertion failed: Every energy account is big*",
                                 "*$Record.Description EqualTo Big energy: failed (actual: Small energy)*"])


@pytest.mark.skipif(not CORPUS_FLOW.exists(), reason="../shared/flow-corpus is absent")
def test_a_corpus_after_save_flow_under_a_flow_test(tmp_path: Path) -> None:
    root = tmp_path / "flowex"
    shutil.copytree(PROJECT, root)
    shutil.copy(CORPUS_FLOW, root / "force-app" / "main" / "default" / "flows")
    folder = root / "force-app" / "main" / "default" / "flowtests"
    (folder / "New_Contact.flowtest-meta.xml").write_text(flow_test(
        "New contact", "Create_Contact_Conditionally",
        record("InputTriggeringRecordInitial", '{"attributes":{"type":"Account"},"Name":"Initech"}'),
        assertion("Contact_Already_Exists", "WasVisited", "<booleanValue>true</booleanValue>")
        + assertion("Create_Contact", "EqualTo", "<booleanValue>true</booleanValue>")
        + assertion("Create_Contact", "HasError", "<booleanValue>false</booleanValue>")))
    code, out = run_cli(str(root), "--flow", "Create_Contact_Conditionally", "-r", "tap")
    if "No such column 'CleanStatus' on sobject of type Contact" in out:
        pytest.xfail("Contact.CleanStatus (a standard field) is not in flowforce's schema yet")
    assert (code, out.splitlines()[:2]) == (0, ["1..1", "ok 1 Create_Contact_Conditionally.New_Contact"]), out
