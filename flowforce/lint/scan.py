"""Run the rules over a loaded library: findings per flow version, placed in their files.

The load report of `flowforce check` comes first (a file that does not load cannot be linted); its results
join the findings as two flowforce rules, `load-failure` and `invalid-flow`, so CI sees them in SARIF too.
Runtime evidence (`--run`) arrives as more findings through `add_run_findings`, after the static pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowforce.lint.config import ActiveRule, LintConfig, Threshold
from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import Rule, RuleOptionError, RuleOptions, Severity, Violation
from flowforce.lint.rules import INVALID_FLOW, LOAD_FAILURE, RULES
from flowforce.lint.source import EMPTY_SOURCE, Position, read_source
from flowforce.metadata.check import CheckReport
from flowforce.metadata.project import FlowLibrary, LoadedFlow, LoadFailure


class ConfigurationError(ValueError):
    """A rule option from the configuration cannot be applied (a bad expression, say)."""


@dataclass(frozen=True)
class Finding:
    rule: Rule
    severity: Severity
    flow: str
    version: int
    path: str
    name: str
    message: str
    element: str | None = None
    element_type: str | None = None
    position: Position = field(default_factory=Position)
    details: Mapping[str, Any] = field(default_factory=dict)
    #: "static" for the rules, "run" for facts observed by `flowforce check --run`.
    origin: str = "static"
    message_url: str | None = None


@dataclass
class FlowVersionLint:
    """One flow file: what loaded (None when it did not) and what the rules found."""

    flow: str
    version: int
    path: str
    loaded: LoadedFlow | None
    findings: list[Finding] = field(default_factory=list)
    ignored: bool = False
    facts: FlowFacts | None = None

    @property
    def label(self) -> str:
        return self.loaded.flow.label if self.loaded else self.flow

    @property
    def process_type(self) -> str:
        return self.loaded.flow.process_type if self.loaded else "-"


@dataclass
class LintReport:
    check: CheckReport
    config: LintConfig
    threshold: Threshold
    flows: list[FlowVersionLint]
    rules: list[ActiveRule]
    errors: list[str] = field(default_factory=list)
    #: What `--run` observed, per flow version it ran (or skipped, and why).
    evidence: list[Any] = field(default_factory=list)

    def active(self, rule: Rule) -> ActiveRule | None:
        """How this run uses *rule*: one of the 30 if it is active, a flowforce rule unless disabled."""
        found = next((active for active in self.rules if active.rule is rule), None)
        if found is not None or rule in RULES:
            return found
        setting = self.config.rules.get(rule.id)
        if setting is not None and setting.enabled is False:
            return None
        return ActiveRule(rule, (setting.severity if setting else None) or rule.severity, RuleOptions(),
                          setting.message if setting else None, setting.message_url if setting else None)

    @property
    def findings(self) -> list[Finding]:
        return [finding for flow in self.flows for finding in flow.findings]

    def counts(self) -> dict[str, int]:
        counts = {severity.value: 0 for severity in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    @property
    def failing(self) -> list[Finding]:
        """Findings at or above the threshold: any of them fails the run."""
        if self.threshold == "never":
            return []
        bar = Severity(self.threshold).rank
        return [finding for finding in self.findings if finding.severity.rank >= bar]

    @property
    def exit_code(self) -> int:
        return 1 if self.failing else 0


def lint_library(
    library: FlowLibrary, check: CheckReport, config: LintConfig, threshold: Threshold
) -> LintReport:
    rules = config.active_rules()
    report = LintReport(check, config, threshold, [], rules)
    for loaded in library:
        flow = loaded.flow
        entry = FlowVersionLint(flow.api_name, flow.version, loaded.path or "", loaded)
        report.flows.append(entry)
        if config.ignores(flow.api_name, loaded.path):
            entry.ignored = True
            continue
        facts = entry.facts = FlowFacts(loaded)
        for active in rules:
            if not active.rule.applies(flow.process_type):
                continue
            try:
                violations = list(active.rule.check(facts, active.options))
            except RuleOptionError as problem:
                raise ConfigurationError(f"rule {active.rule.id}: {problem}") from None
            except Exception as bug:  # one rule's bug must not hide the other findings
                report.errors.append(f"{flow.api_name}: rule {active.rule.id} failed: {type(bug).__name__}: {bug}")
                continue
            entry.findings += _findings(facts, active, violations, config)
        entry.findings += _invalid_flow_findings(facts, report.active(INVALID_FLOW), config)
    for failure in library.failures:
        report.flows.append(_failure_entry(failure, report.active(LOAD_FAILURE), config))
    report.flows.sort(key=lambda item: (item.flow.lower(), item.version, item.path))
    return report


def place(
    facts: FlowFacts, rule: Rule, severity: Severity, violation: Violation, *, origin: str = "static",
    message_url: str | None = None, message: str | None = None,
) -> Finding:
    """A violation of *facts*' flow as a finding, with its line and column in the file."""
    flow = facts.flow
    source = facts.source
    position = source.position(violation.element, violation.tag)
    element_type = source.elements[violation.element].tag if violation.element in source.elements else None
    return Finding(
        rule, severity, flow.api_name, flow.version, facts.loaded.path or "", violation.name,
        message or violation.message, violation.element, element_type or violation.tag or "flow", position,
        violation.details, origin, message_url,
    )


def _findings(
    facts: FlowFacts, active: ActiveRule, violations: Iterable[Violation], config: LintConfig, origin: str = "static"
) -> list[Finding]:
    flow = facts.flow.api_name
    return [
        place(facts, active.rule, active.severity, violation, origin=origin, message_url=active.message_url,
              message=_custom_message(active.message, violation))
        for violation in violations
        if not config.suppressed(flow, active.rule.id, violation.name)
    ]


def add_run_findings(report: LintReport, entry: FlowVersionLint, found: Iterable[tuple[Rule, Violation]]) -> None:
    """Findings of the evidence pass, under the same configuration (severity, exceptions) as static ones."""
    if entry.facts is None:
        return
    for rule, violation in found:
        active = report.active(rule)
        if active is not None:
            entry.findings += _findings(entry.facts, active, [violation], report.config, origin="run")


def _custom_message(message: str | None, violation: Violation) -> str | None:
    """A configured `message` replaces the rule's text; the element it is about stays in front."""
    if not message:
        return None
    return f"{violation.element}: {message}" if violation.element else message


def _invalid_flow_findings(facts: FlowFacts, active: ActiveRule | None, config: LintConfig) -> list[Finding]:
    """Validation errors; an error when the file says Active (Salesforce would not have activated it)."""
    loaded = facts.loaded
    errors = loaded.errors
    if not errors or active is None:
        return []
    severity = Severity.ERROR if loaded.flow.status == "Active" else active.severity
    findings = []
    for problem in errors:
        violation = Violation(problem.element or facts.flow.api_name, str(problem), element=problem.element)
        if not config.suppressed(facts.flow.api_name, INVALID_FLOW.id, violation.name):
            findings.append(place(facts, INVALID_FLOW, severity, violation))
    return findings


def _failure_entry(failure: LoadFailure, active: ActiveRule | None, config: LintConfig) -> FlowVersionLint:
    """A file that did not load; it still fails the run through the load report whatever the configuration."""
    name, version = failure.identity
    entry = FlowVersionLint(name, version, failure.path, None)
    if config.ignores(name, failure.path):
        entry.ignored = True
    elif active is not None and not config.suppressed(name, LOAD_FAILURE.id, name):
        source = read_source(failure.path) if Path(failure.path).is_file() else EMPTY_SOURCE
        entry.findings.append(Finding(
            LOAD_FAILURE, active.severity, name, version, failure.path, name, failure.message, position=source.root,
        ))
    return entry
