"""`flowforce check` as CI runs it: output formats on stdout or in a file, thresholds and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flowforce.cli import app

from .kit import assignment, create_task, flow_xml, variable, write_flow

runner = CliRunner()
WARNS = flow_xml(create_task("Make_Task"), first="Make_Task")  # one missing-fault-path warning
ERRS = flow_xml(variable("Counter") + assignment("Count"), first="Count", description=None)  # one error


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_sarif_on_stdout_and_the_default_threshold_error(tmp_path: Path) -> None:
    write_flow(tmp_path, WARNS)
    code, out, _ = invoke("check", str(tmp_path), "--sarif")
    assert code == 0  # a warning does not meet the default threshold (error)
    (run,) = json.loads(out)["runs"]
    assert [result["ruleId"] for result in run["results"]] == ["missing-fault-path"]


def test_threshold_warning_fails_on_a_warning_and_never_passes_an_error(tmp_path: Path) -> None:
    write_flow(tmp_path, WARNS)
    assert invoke("check", str(tmp_path), "--threshold", "warning")[0] == 1
    write_flow(tmp_path, ERRS, "Other_Flow")
    assert invoke("check", str(tmp_path))[0] == 1
    assert invoke("check", str(tmp_path), "-t", "never")[0] == 0


def test_a_file_that_does_not_load_fails_even_with_threshold_never(tmp_path: Path) -> None:
    (tmp_path / "Broken.flow-meta.xml").write_text("<Flow><label>")
    code, out, _ = invoke("check", str(tmp_path), "--threshold", "never", "--json")
    assert code == 1
    body = json.loads(out)
    assert [(item["rule"], item["severity"], item["flowName"]) for item in body["results"]] == [
        ("load-failure", "error", "Broken")
    ]


def test_output_file_takes_the_format_from_its_name_and_the_table_is_printed(tmp_path: Path) -> None:
    write_flow(tmp_path, ERRS)
    target = tmp_path / "out" / "flows.sarif"
    target.parent.mkdir()
    code, out, _ = invoke("check", str(tmp_path), "--output", str(target))
    assert code == 1
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert "missing-flow-description" in out and "check failed: 1 result at or above error" in out


def test_junit_on_stdout(tmp_path: Path) -> None:
    write_flow(tmp_path, ERRS)
    code, out, _ = invoke("check", str(tmp_path), "--junit")
    assert code == 1
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="flowforce check"')
    assert '<testcase classname="Send_Reminders" name="missing-flow-description"' in out


def test_config_option_and_a_broken_configuration_exit_2(tmp_path: Path) -> None:
    write_flow(tmp_path, ERRS)
    config = tmp_path / "lint.yml"
    config.write_text("rules:\n  missing-flow-description:\n    enabled: false\n")
    assert invoke("check", str(tmp_path), "--config", str(config))[0] == 0
    config.write_text("threshold: sometimes\n")
    code, _, err = invoke("check", str(tmp_path), "-c", str(config))
    assert code == 2
    assert "threshold must be one of error, warning, note, never, not 'sometimes'" in err


def test_one_machine_format_at_a_time(tmp_path: Path) -> None:
    code, _, err = invoke("check", str(tmp_path), "--json", "--sarif")
    assert code == 2
    assert "Choose one of --json, --sarif and --junit." in err


def test_run_flag_adds_evidence_to_the_json(tmp_path: Path) -> None:
    write_flow(tmp_path, ERRS)
    code, out, _ = invoke("check", str(tmp_path), "--run", "--json", "-t", "never")
    assert code == 0
    (evidence,) = json.loads(out)["evidence"]
    assert [(run["input"], run["status"]) for run in evidence["runs"]] == [("empty", "Finished")]
