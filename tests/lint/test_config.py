"""`.flow-scanner.yml`/`.json`, `package.json`'s flowScanner and flowforce.toml's `[check]`, as teams write them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flowforce.lint.command import CheckOptions, lint_paths
from flowforce.lint.config import ConfigError, load_config

from .kit import assignment, flow_xml, variable, write_flow

UNDESCRIBED = flow_xml(variable("Counter", description="") + assignment("Count"), first="Count", description=None,
                       status="Draft")


def _rules_found(folder: Path, name: str = "Send_Reminders", **options: object) -> dict[str, str]:
    path = write_flow(folder, UNDESCRIBED, name)
    report = lint_paths([path], CheckOptions(**options))  # type: ignore[arg-type]
    return {finding.rule.id: finding.severity.value for finding in report.findings}


def test_defaults_run_the_default_rules_at_their_severities(tmp_path: Path) -> None:
    found = _rules_found(tmp_path)
    assert found == {"missing-flow-description": "error", "inactive-flow": "warning"}


def test_yaml_file_overrides_severity_disables_rules_and_turns_on_beta(tmp_path: Path) -> None:
    (tmp_path / ".flow-scanner.yml").write_text(
        "betaMode: true\n"
        "rules:\n"
        "  FlowDescription:\n    severity: note\n"   # the scanner's legacy class name works too
        "  inactive-flow:\n    enabled: false\n"
    )
    found = _rules_found(tmp_path)
    assert found["missing-flow-description"] == "note"
    assert "inactive-flow" not in found
    assert found["missing-metadata-description"] == "warning"  # a beta rule


def test_exceptions_suppress_by_element_or_wildcard_and_ignore_flows_skips_a_flow(tmp_path: Path) -> None:
    (tmp_path / ".flow-scanner.json").write_text(json.dumps({
        "betaMode": True,
        "exceptions": {"Send_Reminders": {"missing-metadata-description": ["Count"], "inactive-flow": ["*"]}},
        "ignoreFlows": ["Other_Flow"],
    }))
    found = _rules_found(tmp_path)
    report = lint_paths([tmp_path], CheckOptions())
    names = {(f.rule.id, f.name) for f in report.findings}
    assert "inactive-flow" not in found
    assert ("missing-metadata-description", "Counter") in names
    assert ("missing-metadata-description", "Count") not in names
    write_flow(tmp_path, UNDESCRIBED, "Other_Flow")
    report = lint_paths([tmp_path], CheckOptions())
    assert {finding.flow for finding in report.findings} == {"Send_Reminders"}


def test_flowforce_toml_check_table_and_scanner_file_merge(tmp_path: Path) -> None:
    (tmp_path / "flowforce.toml").write_text(
        '[check]\nthreshold = "warning"\n[check.rules.inactive-flow]\nseverity = "error"\n'
        '[check.rules.missing-flow-description]\nseverity = "note"\n'
    )
    (tmp_path / ".flow-scanner.yml").write_text("rules:\n  missing-flow-description:\n    severity: warning\n")
    config = load_config([tmp_path])
    assert config.threshold == "warning"
    assert config.rules["inactive-flow"].severity == "error"
    assert config.rules["missing-flow-description"].severity == "warning"  # the scanner file wins per rule
    assert len(config.files) == 2


def test_package_json_flow_scanner_key_is_read(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"name": "x", "flowScanner": {"threshold": "note"}}))
    assert load_config([tmp_path]).threshold == "note"


def test_the_search_goes_up_from_the_checked_path(tmp_path: Path) -> None:
    (tmp_path / ".flow-scanner.yml").write_text("ignoreFlows: [Send_Reminders]\n")
    flows = tmp_path / "force-app" / "flows"
    flows.mkdir(parents=True)
    assert _rules_found(flows) == {}


def test_isolated_mode_runs_only_the_named_rules(tmp_path: Path) -> None:
    (tmp_path / ".flow-scanner.yml").write_text("ruleMode: isolated\nrules:\n  inactive-flow: {}\n")
    assert _rules_found(tmp_path) == {"inactive-flow": "warning"}


def test_rule_options_change_what_is_flagged(tmp_path: Path) -> None:
    (tmp_path / ".flow-scanner.yml").write_text(
        "rules:\n  invalid-api-version:\n    expression: '>= 63'\n"
        "  invalid-naming-convention:\n    expression: '^[A-Z][a-z]+_'\n"
    )
    found = _rules_found(tmp_path, "send_reminders")
    assert found["invalid-api-version"] == "warning"
    assert found["invalid-naming-convention"] == "error"


def test_unknown_rules_and_settings_warn_and_are_ignored(tmp_path: Path) -> None:
    (tmp_path / ".flow-scanner.yml").write_text("colour: blue\nrules:\n  no-such-rule:\n    severity: error\n")
    config = load_config([tmp_path])
    assert any("unknown setting 'colour'" in warning for warning in config.warnings)
    assert any("unknown rule 'no-such-rule'" in warning for warning in config.warnings)


@pytest.mark.parametrize(("text", "message"), [
    ("rules:\n  dml-in-loop:\n    severity: fatal\n", "severity must be error, warning or note, not 'fatal'"),
    ("threshold: loud\n", "threshold must be one of error, warning, note, never, not 'loud'"),
    ("rules: [1, 2]\n", "rules must map rule ids to settings"),
    ("rules:\n  excessive-cyclomatic-complexity:\n    threshold: many\n", "threshold must be a whole number"),
    ("betaMode: [\n", "not valid YAML"),
])
def test_a_bad_configuration_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".flow-scanner.yml").write_text(text)
    with pytest.raises(ConfigError, match=r"\.flow-scanner\.yml") as raised:
        load_config([tmp_path])
    assert message in str(raised.value)


def test_a_bad_rule_expression_names_the_rule(tmp_path: Path) -> None:
    (tmp_path / ".flow-scanner.yml").write_text("rules:\n  invalid-api-version:\n    expression: newest\n")
    write_flow(tmp_path, UNDESCRIBED)
    with pytest.raises(ConfigError, match="rule invalid-api-version: the expression 'newest' is not a comparison"):
        lint_paths([tmp_path], CheckOptions())
