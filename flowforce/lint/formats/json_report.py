"""`--json`: the scanner CLI's shape (`summary`, `status`, `results`) plus flowforce's load report (`flows`)."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from flowforce.lint.evidence import FlowEvidence
from flowforce.lint.formats.paths import display_path
from flowforce.lint.scan import Finding, LintReport


def finding_json(finding: Finding) -> dict[str, Any]:
    path = display_path(finding.path)
    return {
        "flowName": finding.flow,
        "flowVersion": finding.version,
        "flowApiName": PurePath(path).name,
        "flowUri": path,
        "rule": finding.rule.id,
        "ruleName": finding.rule.legacy_name,
        "category": finding.rule.category.value,
        "severity": finding.severity.value,
        "type": finding.element_type,
        "name": finding.name,
        "element": finding.element,
        "message": finding.message,
        "lineNumber": finding.position.line,
        "columnNumber": finding.position.column,
        "origin": finding.origin,
        "details": dict(finding.details),
        **({"messageUrl": finding.message_url} if finding.message_url else {}),
    }


def evidence_json(evidence: FlowEvidence) -> dict[str, Any]:
    if evidence.skipped:
        return {"flowName": evidence.flow, "flowVersion": evidence.version, "skipped": evidence.skipped}
    return {
        "flowName": evidence.flow,
        "flowVersion": evidence.version,
        "runs": [
            {
                "input": run.label, "inputs": dict(run.inputs), "status": run.status,
                "soqlQueries": run.soql_queries, "dmlStatements": run.dml_statements, "dmlRows": run.dml_rows,
                "elementRuns": dict(run.visits),
                "faults": [{"element": fault.element, "message": fault.message, "handled": fault.handled}
                           for fault in run.faults],
                "limitError": run.limit_error, "inputError": run.input_error, "blocked": run.blocked,
                "triggerDepth": run.trigger_depth,
            }
            for run in evidence.runs
        ],
    }


def report_json(report: LintReport) -> dict[str, Any]:
    findings = report.findings
    flows = [flow for flow in report.flows if not flow.ignored]
    counts = report.counts()
    return {
        "summary": {
            "flowsNumber": len(flows),
            "results": len(findings),
            "message": f"A total of {len(findings)} results have been found in {len(flows)} flows.",
            **counts,
            "threshold": report.threshold,
        },
        "status": report.exit_code,
        "results": [finding_json(finding) for finding in findings],
        "flows": [
            {
                "flowName": line.api_name, "flowVersion": line.version, "flowUri": display_path(line.path),
                "status": line.status, "processType": line.process_type, "trigger": line.trigger,
                "elements": line.element_count, "outcome": line.outcome, "statusText": line.status_text,
                "problems": [
                    {"severity": problem.severity, "element": problem.element, "message": problem.message}
                    for problem in line.problems
                ],
            }
            for line in report.check.lines
        ],
        "evidence": [evidence_json(evidence) for evidence in report.evidence],
        "config": list(report.config.files),
        "errors": list(report.errors),
    }


def render_json(report: LintReport) -> str:
    return json.dumps(report_json(report), indent=2, default=str)
