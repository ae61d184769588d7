"""All 110 real flows load; the broken ones come out as the InvalidDrafts Salesforce keeps them as."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from flowforce.metadata.check import CheckReport, check_paths

#: Verified by hand (see the metadata validation report): each is genuinely broken.
EXPECTED_INVALID = {
    # its formula is plain text with an unclosed "(" — not a formula at all
    "BreakOutOfLoopInLoop": "Element MessageforAction: the formula does not compile",
    # a record-triggered flow with no elements and no start connector
    "ExampleRecordTriggeredFlow": "the flow has no start element",
    # reads Get_Standard_User, whose results go to outputAssignments, so the element name holds nothing
    "Unconnected_Element_Async": "Element Validate_User_is_Inactive: the left side of condition 2",
}


@pytest.fixture(scope="module")
def report(corpus: Path) -> CheckReport:
    return check_paths([corpus])


def test_every_corpus_flow_loads(report: CheckReport) -> None:
    assert len(report.lines) == 110
    assert [line.path for line in report.lines if line.outcome == "failed"] == []
    assert report.exit_code == 0


def test_process_type_counts_match_the_index(report: CheckReport, corpus: Path) -> None:
    index = (corpus / "INDEX.md").read_text()
    table = dict(re.findall(r"^\| (AutoLaunchedFlow|Flow|Workflow|CustomEvent) \| (\d+) \|$", index, re.M))
    assert Counter(line.process_type for line in report.lines) == {k: int(v) for k, v in table.items()}


def test_screen_flows_are_reported_not_runnable_headless(report: CheckReport) -> None:
    screen_flows = [line for line in report.lines if line.process_type == "Flow"]
    assert len(screen_flows) == 4
    assert {line.status_text for line in screen_flows} == {"not runnable headless"}


def test_numbered_file_is_a_version_of_its_flow(report: CheckReport) -> None:
    versions = {(line.version, Path(line.path).name) for line in report.lines if line.api_name == "Test_Flow"}
    assert versions == {
        (1, "Test_Flow.flow-meta.xml"),
        (2, "Test_Flow-2.flow-meta.xml"),
        (3, "Test_Flow-3.flow-meta.xml"),
        (4, "Test_Flow-4.flow-meta.xml"),
    }


def test_only_the_genuinely_broken_flows_are_invalid_drafts(report: CheckReport) -> None:
    invalid = {line.api_name: line.status_text for line in report.lines if line.outcome == "invalid"}
    assert set(invalid) == set(EXPECTED_INVALID)
    for name, start in EXPECTED_INVALID.items():
        assert invalid[name].startswith(f"InvalidDraft: {start}")


def test_the_run_mode_typo_is_reported(report: CheckReport) -> None:
    (line,) = [line for line in report.lines if line.api_name == "Unsafe_Running_Context_WithSharing"]
    assert any("unknown runInMode 'SystemModeWitSharing'" in p.message for p in line.problems)


def test_apex_actions_are_warnings_saying_how_to_provide_them(report: CheckReport) -> None:
    (line,) = [line for line in report.lines if line.api_name == "Notify_Via_WebEx"]
    assert [str(p) for p in line.problems] == [
        "Element Post_to_WebEx: Apex action PostMessageToWebEx is not available: write a Python invocable action "
        "named PostMessageToWebEx (@invocable_action in flowforce_actions/*.py) or stub it under "
        "[actions.apex.PostMessageToWebEx] in flowforce.toml"
    ]


def test_no_standard_action_of_the_corpus_is_unregistered(report: CheckReport) -> None:
    """Every standard action type the corpus uses runs (or is a headless warning); only Apex is left, each
    named with how to provide it."""
    messages = [p.message for line in report.lines for p in line.problems]
    assert [m for m in messages if "is not registered" in m] == []
    apex = [m for m in messages if m.startswith("Apex action")]
    assert len(apex) >= 30
    assert all("flowforce_actions/*.py" in m and "[actions.apex." in m for m in apex)
    components = [m for m in messages if "c:showToast" in m]
    assert components and all(m.startswith("not runnable headless") for m in components)
