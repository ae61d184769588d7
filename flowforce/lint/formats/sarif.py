"""`--sarif`: SARIF 2.1.0 for GitHub code scanning and other viewers.

One run for the whole check (the scanner writes one per flow; code scanning takes either). Each result has the
rule id, a level, the message, the flow file with the element's line and column, and the element and flow in
`properties`, as the scanner's ExportSarif does, so dashboards built on its output keep working.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from flowforce.lint.formats.paths import display_path
from flowforce.lint.rule import Rule
from flowforce.lint.scan import Finding, LintReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/Flow-Scanner/lightning-flow-scanner"


def _tool_version() -> str:
    try:
        return version("flowforce")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def _rule_json(rule: Rule, level: str) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.legacy_name,
        "shortDescription": {"text": rule.label},
        "fullDescription": {"text": rule.description},
        "defaultConfiguration": {"level": level},
        "properties": {"category": rule.category.value, "tags": [rule.category.value, "salesforce-flow"]},
    }


def _artifact_location(path: str, base: Path | None) -> dict[str, Any]:
    """Relative to the source root when the file is under it (what code scanning wants), else a file URI."""
    shown = display_path(path, base)
    if shown.startswith("/"):
        return {"uri": Path(shown).as_uri()}
    return {"uri": shown, "uriBaseId": "%SRCROOT%"}


def _result_json(finding: Finding, rule_index: int, artifact_index: int, where: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "flow": finding.flow,
        "flowVersion": finding.version,
        "element": finding.element or finding.name,
        "type": finding.element_type,
        "origin": finding.origin,
        **{key: value for key, value in finding.details.items() if key not in ("flow", "element")},
    }
    result: dict[str, Any] = {
        "ruleId": finding.rule.id,
        "ruleIndex": rule_index,
        "level": finding.severity.value,
        "message": {"text": finding.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {**where, "index": artifact_index},
                "region": {"startLine": finding.position.line, "startColumn": finding.position.column},
            },
            **({"logicalLocations": [{"name": finding.element, "kind": "element",
                                      "fullyQualifiedName": f"{finding.flow}.{finding.element}"}]}
               if finding.element else {}),
        }],
        "partialFingerprints": {"flowElement/v1": ":".join(
            (finding.flow, finding.rule.id, finding.name, *(() if finding.origin == "static" else (finding.origin,)))
        )},
        "properties": properties,
    }
    return result


def report_sarif(report: LintReport, base: Path | None = None) -> dict[str, Any]:
    findings = report.findings
    rules: dict[str, int] = {}
    rule_list: list[dict[str, Any]] = []
    levels = {active.rule.id: active.severity.value for active in report.rules}
    artifacts: dict[str, dict[str, Any]] = {}
    results = []
    for finding in findings:
        if finding.rule.id not in rules:
            rules[finding.rule.id] = len(rule_list)
            rule_list.append(_rule_json(finding.rule, levels.get(finding.rule.id, finding.rule.severity.value)))
        where = artifacts.setdefault(finding.path, _artifact_location(finding.path, base))
        results.append(_result_json(finding, rules[finding.rule.id], list(artifacts).index(finding.path), where))
    root = (base or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "flowforce",
                "fullName": "flowforce check (Lightning Flow Scanner rules)",
                "informationUri": INFORMATION_URI,
                "version": _tool_version(),
                "rules": rule_list,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root}},
            "artifacts": [{"location": where, "sourceLanguage": "xml"} for where in artifacts.values()],
            "results": results,
            "invocations": [{
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": error}} for error in report.errors
                ],
            }],
        }],
    }


def render_sarif(report: LintReport) -> str:
    return json.dumps(report_sarif(report), indent=2)
