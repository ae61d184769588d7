"""The scanner's own example flows (../shared/flow-corpus/Flow-Scanner__lightning-flow-scanner-core): each
violation flow is flagged for its rule at its element, and each `_Fixed` twin is not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from flowforce.lint.command import CheckOptions, lint_paths
from flowforce.lint.config import LintConfig
from flowforce.lint.scan import LintReport

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "flow-corpus"
SCANNER_EXAMPLES = CORPUS / "Flow-Scanner__lightning-flow-scanner-core"

pytestmark = pytest.mark.skipif(not SCANNER_EXAMPLES.is_dir(), reason="the flow corpus is not here")

EXPECTED = [
    ("DML_Statement_In_A_Loop", "dml-in-loop", "createNewCase"),
    ("SOQL_Query_In_A_Loop", "soql-in-loop", "SOQL_Query_Example"),
    ("Hardcoded_Id", "hardcoded-id", "create_Test_Account"),
    ("FlowNamingConvention", "invalid-naming-convention", "FlowNamingConvention"),
    ("Missing_Error_Handler", "missing-fault-path", "log_call"),
    ("Missing_Flow_Description", "missing-flow-description", "undefined"),
    ("Missing_Null_Handler", "missing-null-handler", "GetAnAccount"),
    ("Unconnected_Element", "unreachable-element", "unused_assignment"),
    ("Unconnected_Element_Async", "unreachable-element", "UnconnectedElementTestOnAsync"),
    ("Utility_Copy_Files_Subflow", "unsafe-running-context", "SystemModeWithoutSharing"),
    ("Same_Record_Field_Updates", "same-record-field-updates", "Update_triggering_records"),
    ("Make_Recursive", "recursive-record-update", "Yeah_don_t_do_another_update"),
    ("Cyclomatic_Complexity", "excessive-cyclomatic-complexity", "28"),
    ("Missing_Metadata_Description", "missing-metadata-description", "Account"),
]
FIXED = [
    ("SOQL_Query_In_A_Loop_Fixed", "soql-in-loop"),
    ("Hardcoded_Id_Fixed", "hardcoded-id"),
    ("Flow_Naming_Convention_Fixed", "invalid-naming-convention"),
    ("Missing_Error_Handler_Fixed", "missing-fault-path"),
    ("Missing_Flow_Description_Fixed", "missing-flow-description"),
    ("Missing_Null_Handler_Fixed", "missing-null-handler"),
    ("Unconnected_Element_Fixed", "unreachable-element"),
    ("Unsafe_Running_Context_Default", "unsafe-running-context"),
]


@pytest.fixture(scope="module")
def report() -> LintReport:
    return lint_paths([SCANNER_EXAMPLES], CheckOptions(), dataclasses.replace(LintConfig(), beta=True))


def _found(report: LintReport, flow: str, rule: str) -> set[str]:
    return {finding.name for finding in report.findings if finding.flow == flow and finding.rule.id == rule}


@pytest.mark.parametrize(("flow", "rule", "name"), EXPECTED)
def test_the_scanner_example_is_flagged(report: LintReport, flow: str, rule: str, name: str) -> None:
    assert name in _found(report, flow, rule)


@pytest.mark.parametrize(("flow", "rule"), FIXED)
def test_the_fixed_example_is_not(report: LintReport, flow: str, rule: str) -> None:
    assert _found(report, flow, rule) == set()


def test_the_whole_corpus_lints_without_internal_errors() -> None:
    report = lint_paths([CORPUS], CheckOptions(), dataclasses.replace(LintConfig(), beta=True))
    assert report.errors == []
    assert len(report.flows) == 110
    assert all(finding.position.line >= 1 for finding in report.findings)
