"""`flowforce check`: one line per flow version, a summary, and an exit code for CI."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from flowforce.metadata.check import check_paths, render, run_check

from .metadata_helpers import FIXTURES, fixture_path


def rendered(paths: list[Path], *, verbose: bool = False, strict: bool = False) -> str:
    console = Console(record=True, width=200, color_system=None)
    render(check_paths(paths, strict=strict), console, verbose=verbose)
    return console.export_text()


def test_valid_flows_exit_zero() -> None:
    report = check_paths([FIXTURES / "versions"])
    assert [line.status_text for line in report.lines] == ["OK", "OK", "OK"]
    assert report.summary == "3 flows: 3 ok, 0 with warnings, 0 invalid drafts, 0 failed to load"
    assert report.exit_code == 0


def test_an_invalid_draft_loads_and_does_not_fail_the_run() -> None:
    report = check_paths([fixture_path("Dangling_Connector")])
    (line,) = report.lines
    assert line.status_text == (
        "InvalidDraft: Element Set_Name: the connector points to Missing_Element, which does not exist"
    )
    assert report.exit_code == 0


def test_a_file_claiming_active_with_errors_fails_the_run() -> None:
    assert check_paths([fixture_path("Unbalanced_Formula")]).exit_code == 1


def test_a_load_failure_fails_the_run() -> None:
    report = check_paths([fixture_path("Xxe"), FIXTURES / "versions"])
    assert report.exit_code == 1
    assert report.summary == "4 flows: 3 ok, 0 with warnings, 0 invalid drafts, 1 failed to load"


def test_warnings_fail_only_with_strict() -> None:
    path = fixture_path("Screen_And_Apex")
    (line,) = check_paths([path]).lines
    assert (line.status_text, line.trigger, line.element_count) == ("not runnable headless", "-", 4)
    assert check_paths([path]).exit_code == 0
    assert check_paths([path], strict=True).exit_code == 1


def test_render_prints_one_line_per_flow_and_problems_when_verbose() -> None:
    text = rendered([fixture_path("Dangling_Connector"), fixture_path("No_Start")], verbose=True)
    lines = text.splitlines()
    assert lines[0].split() == [
        "Dangling_Connector",
        "InvalidDraft",
        "AutoLaunchedFlow",
        "-",
        "2",
        "elements",
        "InvalidDraft:",
        "Element",
        "Set_Name:",
        "the",
        "connector",
        "points",
        "to",
        "Missing_Element,",
        "which",
        "does",
        "not",
        "exist",
    ]
    fault = "    error: Element Get_Account: the fault connector points to Handle_Fault, which does not exist"
    assert fault in lines
    assert any(line.startswith("No_Start ") and "RecordAfterSave" in line for line in lines)
    assert lines[-1] == "2 flows: 0 ok, 0 with warnings, 2 invalid drafts, 0 failed to load"


def test_render_names_versions_and_explains_a_failed_run() -> None:
    text = rendered([FIXTURES / "versions", fixture_path("Not_A_Flow")])
    assert "Versioned v2" in text
    assert "failed to load: root element is <CustomObject>, expected <Flow>" in text
    assert text.splitlines()[-1] == "check failed: 1 failed to load"


def test_run_check_returns_the_exit_code(capsys: object) -> None:
    assert run_check([str(FIXTURES / "versions")]) == 0
    assert run_check([str(fixture_path("Broken_Xml"))], verbose=True) == 1
