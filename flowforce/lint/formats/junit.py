"""`--junit`: one test suite per flow file, one test case per rule that ran on it.

A finding at or above the threshold is a failure of its rule's test case; findings below it are listed in the
case's output, so CI dashboards show them without turning the build red.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from flowforce.lint.formats.paths import display_path
from flowforce.lint.scan import Finding, LintReport


def _describe(finding: Finding) -> str:
    return (f"{display_path(finding.path)}:{finding.position.line}:{finding.position.column}: "
            f"{finding.severity.value}: {finding.message}")


def render_junit(report: LintReport) -> str:
    failing = {id(finding) for finding in report.failing}
    suites = ET.Element("testsuites", name="flowforce check")
    total = failures = 0
    for flow in report.flows:
        if flow.ignored:
            continue
        by_rule: dict[str, list[Finding]] = {}
        for active in report.rules:
            if flow.loaded is not None and active.rule.applies(flow.process_type):
                by_rule[active.rule.id] = []
        for finding in flow.findings:
            by_rule.setdefault(finding.rule.id, []).append(finding)
        suite = ET.SubElement(suites, "testsuite", name=f"{flow.flow} v{flow.version}", file=display_path(flow.path))
        suite_failures = 0
        for rule_id, findings in by_rule.items():
            case = ET.SubElement(suite, "testcase", classname=flow.flow, name=rule_id, file=display_path(flow.path))
            failed = [finding for finding in findings if id(finding) in failing]
            if failed:
                suite_failures += 1
                failure = ET.SubElement(
                    case, "failure", message=failed[0].message, type=failed[0].severity.value
                )
                failure.text = "\n".join(_describe(finding) for finding in failed)
            passed = [finding for finding in findings if id(finding) not in failing]
            if passed:
                ET.SubElement(case, "system-out").text = "\n".join(_describe(finding) for finding in passed)
        suite.set("tests", str(len(by_rule)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        total += len(by_rule)
        failures += suite_failures
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
