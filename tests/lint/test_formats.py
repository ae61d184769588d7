"""JSON, SARIF 2.1.0 and JUnit reports as CI tools read them."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema

from flowforce.lint.formats.json_report import report_json
from flowforce.lint.formats.junit import render_junit
from flowforce.lint.formats.sarif import report_sarif
from flowforce.lint.scan import LintReport

from .kit import create_task, flow_xml, get_records, lint

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _report(tmp_path: Path) -> LintReport:
    xml = flow_xml(get_records("Find", next="Make_Task", fault="Make_Task", queried=("Id",)) + create_task("Make_Task"),
                   first="Find", status="Draft")
    return lint(tmp_path, xml, settings={"rules": {"inactive-flow": {"severity": "error"}}})


def test_sarif_validates_against_the_sarif_2_1_0_schema(tmp_path: Path) -> None:
    sarif = report_sarif(_report(tmp_path), base=tmp_path)
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1


def test_sarif_result_carries_rule_level_message_location_and_element(tmp_path: Path) -> None:
    sarif = report_sarif(_report(tmp_path), base=tmp_path)
    (run,) = sarif["runs"]
    result = next(item for item in run["results"] if item["ruleId"] == "missing-fault-path")
    assert result["level"] == "warning"
    assert result["message"]["text"] == (
        "Make_Task (FlowRecordCreate) has no fault path: an error here ends the interview with an unhandled fault"
    )
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "Send_Reminders.flow-meta.xml"
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    line = (tmp_path / "Send_Reminders.flow-meta.xml").read_text().splitlines()[location["region"]["startLine"] - 1]
    assert line[location["region"]["startColumn"] - 1:].startswith("Make_Task</name>")
    assert result["properties"]["element"] == "Make_Task"
    assert result["properties"]["flow"] == "Send_Reminders"
    rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert (rule["id"], rule["name"], rule["properties"]["category"]) == (
        "missing-fault-path", "MissingFaultPath", "problem"
    )
    inactive = next(item for item in run["results"] if item["ruleId"] == "inactive-flow")
    assert inactive["level"] == "error"  # the configured severity, not the default warning


def test_json_report_uses_the_scanner_shape(tmp_path: Path) -> None:
    body = report_json(_report(tmp_path))
    assert body["status"] == 1  # inactive-flow raised to error meets the default threshold
    assert body["summary"]["flowsNumber"] == 1
    assert body["summary"]["results"] == len(body["results"])
    fault = next(item for item in body["results"] if item["rule"] == "missing-fault-path")
    assert {key: fault[key] for key in ("flowName", "flowApiName", "ruleName", "severity", "type", "name",
                                          "category", "origin")} == {
        "flowName": "Send_Reminders", "flowApiName": "Send_Reminders.flow-meta.xml",
        "ruleName": "MissingFaultPath", "severity": "warning", "type": "recordCreates", "name": "Make_Task",
        "category": "problem", "origin": "static",
    }
    assert body["flows"][0]["flowName"] == "Send_Reminders"


def test_junit_fails_the_cases_at_the_threshold_and_lists_the_rest(tmp_path: Path) -> None:
    root = ET.fromstring(render_junit(_report(tmp_path)))
    (suite,) = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert cases["inactive-flow"].find("failure") is not None
    assert cases["missing-fault-path"].find("failure") is None
    assert "missing-fault-path" not in (cases["inactive-flow"].findtext("failure") or "")
    assert "has no fault path" in (cases["missing-fault-path"].findtext("system-out") or "")
    assert cases["dml-in-loop"].find("failure") is None and cases["dml-in-loop"].find("system-out") is None
    assert root.get("failures") == suite.get("failures") == "1"
