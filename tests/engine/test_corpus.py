"""Real flows from the shared corpus: every valid one compiles (or fails cleanly); record-free ones run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from flowforce.engine.engine import compile_program
from flowforce.engine.program import FlowCompileError
from flowforce.metadata.parser import FlowParseError

from .flowkit import CORPUS_DIR, ERROR, FINISHED, context, engine_for, load, run_one

FLOWEX = CORPUS_DIR / "steinwinde__flowex"
SCANNER = CORPUS_DIR / "Flow-Scanner__lightning-flow-scanner-core"


def corpus_files() -> list[Path]:
    if not CORPUS_DIR.is_dir():
        return []
    return sorted(p for p in CORPUS_DIR.rglob("*") if p.name.endswith((".flow-meta.xml", ".flow")))


def corpus_flow(path: Path) -> object:
    if not path.is_file():
        pytest.skip("the shared flow corpus is not available")
    return load(path)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_flow_compiles_or_raises_flow_compile_error(path: Path) -> None:
    try:
        flow = load(path)
    except FlowParseError:
        pytest.skip("does not parse (the parser's tests cover this)")
    if flow.status == "InvalidDraft":
        pytest.skip("Salesforce itself keeps this version as an invalid draft")
    try:
        program = compile_program(flow)
    except FlowCompileError as error:
        assert flow.api_name in str(error)
        return
    assert program.flow is flow


def test_corpus_is_present_or_skipped(corpus_dir: Path) -> None:
    assert len(corpus_files()) >= 100


# ------------------------------------------------------------------------------------------ running


def changes_of(result: object, element: str) -> dict:
    trace = result.trace or []  # type: ignore[attr-defined]
    return next(entry.changes for entry in trace if entry.element == element)


def test_text_assignments_applies_every_collection_operator_in_order() -> None:
    result = run_one(corpus_flow(FLOWEX / "Text_Assignments.flow-meta.xml"))
    assert result.status is FINISHED
    assert [entry.element for entry in result.trace or []] == ["AssignMuch", "Assign_Common", "Manipulate_List"]
    assert changes_of(result, "AssignMuch") == {"SingleText": "ABCDEFGHI", "TextList": ["ABCDEFGHI"]}
    assert changes_of(result, "Assign_Common") == {"CommonVars": ["ABC", "Abel"]}
    assert changes_of(result, "Manipulate_List") == {"TextList": []}


def test_target_tester_takes_the_second_outcome() -> None:
    result = run_one(corpus_flow(FLOWEX / "Target_Tester.flow-meta.xml"))
    assert result.status is FINISHED
    assert result.trace is not None
    assert [(e.element, e.outcome) for e in result.trace] == [
        ("Assign_Variable", None),
        ("Decision_1", "Variable_is_11"),
        ("Assignment_3", None),
    ]
    assert changes_of(result, "Assign_Variable") == {"Bingo": Decimal("11.00")}
    assert changes_of(result, "Assignment_3") == {"Message": "11 is quite nice"}


def test_tricky_decisions_compares_an_unset_address_to_null() -> None:
    result = run_one(corpus_flow(FLOWEX / "Tricky_Decisions.flow-meta.xml"))
    assert result.outputs == {"Address": "42"}


def test_tricky_decisions_keeps_a_given_address() -> None:
    result = run_one(corpus_flow(FLOWEX / "Tricky_Decisions.flow-meta.xml"), {"Address": "Dr."})
    assert result.outputs == {"Address": "Dr."}
    assert [e.element for e in result.trace or []] == ["Assign_Something", "Decide_Form_of_Address"]


def test_tricky_decisions_empty_string_is_not_null() -> None:
    result = run_one(corpus_flow(FLOWEX / "Tricky_Decisions.flow-meta.xml"), {"Address": ""})
    assert result.outputs == {"Address": ""}


def test_subflow_1_appends_to_its_input_collection_and_overrides_the_text() -> None:
    result = run_one(
        corpus_flow(FLOWEX / "Subflow_1.flow-meta.xml"),
        {"InOutNumberMultiVariable": [1, 2.5], "InOutStringVariable": "given"},
    )
    assert result.outputs == {
        "InOutNumberMultiVariable": [Decimal("1.00"), Decimal("2.50"), Decimal("42.00")],
        "InOutStringVariable": "Bingo",
        "OutMultiselectPicklist": None,
    }


def test_run_subflows_calls_both_children_through_the_engine() -> None:
    flows = [corpus_flow(FLOWEX / f"{name}.flow-meta.xml") for name in ("Run_Subflows", "Subflow_1", "Subflow_2")]
    result = engine_for(*flows).run("Run_Subflows", [{}], context()).results[0]
    assert result.status is FINISHED
    assert result.trace is not None
    assert [(e.element, e.detail) for e in result.trace] == [
        ("Calling_the_Subflow_1", "ran Subflow_1 version 1"),
        ("Calling_the_subflow_1_again", "ran Subflow_1 version 1"),
        ("Calling_the_Subflow_2", "ran Subflow_2 version 1"),
    ]
    assert changes_of(result, "Calling_the_Subflow_2") == {
        "InOutNumberMultiVariable": [Decimal("42.00")],
        "InOutStringVariable": "Bingo",
        "OutMultiselectPicklist": None,
    }


def test_ocr_flow_without_a_triggering_record_faults_in_the_transform() -> None:
    result = run_one(corpus_flow(SCANNER / "OCR_Flow.flow-meta.xml"))
    assert result.status is ERROR
    assert result.failure is not None
    assert (result.failure.element, result.failure.element_type) == ("OCR_Mapping", "FlowTransform")
    assert result.failure.message == (
        "The flow failed to access the value for $Record.Id because it hasn't been set or assigned."
    )
