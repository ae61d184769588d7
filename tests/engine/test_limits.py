"""Governor limits, the executed-elements limits, and flows that cannot compile (§7.4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flowforce.engine.engine import compile_program
from flowforce.engine.program import FlowCompileError
from flowforce.engine.settings import EngineSettings

from .flowkit import (
    ERROR,
    FINISHED,
    LOC,
    assignment,
    condition,
    decision,
    flow_xml,
    formula,
    outputs_of,
    parse,
    rule,
    run_flow,
    run_one,
    variable,
)


def counter_flow(api_version: str = "62.0") -> str:
    """Counts `i` up to the input `n` with a decision/assignment loop: two elements per round."""
    return flow_xml(
        variable("n", "Number", input=True)
        + variable("i", "Number", output=True, default="<numberValue>0</numberValue>")
        + decision(
            "More", [rule("Below", [condition("i", "LessThan", "<elementReference>n</elementReference>")], "Step")]
        )
        + assignment("Step", [("i", "Add", "<numberValue>1</numberValue>")], next_="More"),
        start="More",
        api_version=api_version,
    )


# ------------------------------------------------------------------------------------------ CPU


def test_cpu_limit_fails_the_whole_transaction() -> None:
    batch = run_flow(counter_flow(), [{"n": 2}, {"n": 200_000}], settings=EngineSettings(cpu_time_limit_ms=1))
    assert batch.limit_error == "Apex CPU time limit exceeded"
    assert [r.status for r in batch.results] == [ERROR, ERROR]
    assert all(r.outputs is None for r in batch.results)
    assert batch.results[1].failure is not None
    assert batch.results[1].failure.message == "Apex CPU time limit exceeded"


def test_cpu_limit_failure_names_the_element_that_hit_it() -> None:
    batch = run_flow(counter_flow(), [{"n": 200_000}], settings=EngineSettings(cpu_time_limit_ms=1))
    failure = batch.results[0].failure
    assert failure is not None
    assert failure.element in ("More", "Step")


def test_cpu_limit_keeps_input_errors_as_they_were() -> None:
    batch = run_flow(counter_flow(), [{"bogus": 1}, {"n": 200_000}], settings=EngineSettings(cpu_time_limit_ms=1))
    assert batch.results[0].input_error
    assert batch.results[0].failure is not None
    assert "doesn't have a variable with the name bogus" in batch.results[0].failure.message
    assert batch.results[1].failure is not None
    assert batch.results[1].failure.message == "Apex CPU time limit exceeded"


def test_no_limit_error_when_within_budget() -> None:
    batch = run_flow(counter_flow(), [{"n": 10}])
    assert batch.limit_error is None
    assert batch.results[0].outputs == {"i": Decimal(10)}


# ------------------------------------------------------------------------------------------ element counts


def test_legacy_api_version_fails_past_2000_executed_elements() -> None:
    result = run_one(counter_flow(api_version="56.0"), {"n": 1500})
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.message == "Number of iterations exceeded"


def test_legacy_api_version_allows_exactly_2000_elements() -> None:
    # 1,000 rounds of decision + assignment = 2,000 elements, then the final decision is the 2,001st.
    assert run_one(counter_flow(api_version="56.0"), {"n": 999}).status is FINISHED
    assert run_one(counter_flow(api_version="56.0"), {"n": 1000}).status is ERROR


def test_api_version_57_has_no_2000_element_limit() -> None:
    assert outputs_of(counter_flow(api_version="57.0"), {"n": 1500}) == {"i": Decimal(1500)}


def test_legacy_limit_is_per_interview() -> None:
    batch = run_flow(counter_flow(api_version="50.0"), [{"n": 5}, {"n": 5000}])
    assert [r.status for r in batch.results] == [FINISHED, ERROR]
    assert batch.limit_error is None


def test_safety_cap_stops_a_runaway_loop() -> None:
    xml = flow_xml(
        variable("i", "Number") + assignment("Spin", [("i", "Add", "<numberValue>1</numberValue>")], next_="Spin"),
        start="Spin",
    )
    result = run_one(xml, settings=EngineSettings(max_elements_per_interview=100))
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.element == "Spin"
    assert result.failure.message == (
        "Number of iterations exceeded: the interview executed more than 100 "
        "elements (last: Spin); is a loop missing its exit?"
    )


def test_safety_cap_is_not_catchable_by_a_fault_path() -> None:
    from .flowkit import RecordingAction, action_call, registry_with

    action = RecordingAction("Ping", handler=lambda request: {})
    xml = flow_xml(
        variable("msg", output=True)
        + action_call("Call", "Ping", next_="Call", fault="Handle")
        + assignment("Handle", [("msg", "Assign", "<elementReference>$Flow.FaultMessage</elementReference>")]),
        start="Call",
    )
    result = run_one(xml, settings=EngineSettings(max_elements_per_interview=10), actions=registry_with(action))
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.message.startswith("Number of iterations exceeded")


# ------------------------------------------------------------------------------------------ compile errors


def test_dangling_connector_is_a_compile_error_naming_the_element() -> None:
    flow = parse(flow_xml(assignment("First", [], next_="Nowhere"), start="First"))
    with pytest.raises(FlowCompileError) as caught:
        compile_program(flow)
    assert caught.value.element == "First"
    assert str(caught.value) == (
        "Flow Test_Flow (version 1, element First): the connector goes to Nowhere, which does not exist"
    )


def test_dangling_start_connector_is_a_compile_error() -> None:
    with pytest.raises(FlowCompileError, match="the connector goes to Missing"):
        compile_program(parse(flow_xml("", start="Missing")))


def test_dangling_decision_outcome_connector_is_a_compile_error() -> None:
    flow = parse(
        flow_xml(
            decision("Pick", [rule("A", [condition("x", "IsNull", "<booleanValue>true</booleanValue>")], "Gone")])
            + variable("x"),
            start="Pick",
        )
    )
    with pytest.raises(FlowCompileError) as caught:
        compile_program(flow)
    assert caught.value.element == "Pick"


def test_unknown_assignment_operator_is_a_compile_error() -> None:
    flow = parse(
        flow_xml(variable("x") + assignment("Bad", [("x", "Multiply", "<numberValue>2</numberValue>")]), start="Bad")
    )
    with pytest.raises(FlowCompileError, match=r"element Bad.*unknown assignment operator Multiply"):
        compile_program(flow)


def test_unknown_condition_operator_is_a_compile_error() -> None:
    flow = parse(
        flow_xml(variable("x") + decision("Pick", [rule("A", [condition("x", "Resembles", None)], None)]), start="Pick")
    )
    with pytest.raises(FlowCompileError, match="unknown condition operator Resembles"):
        compile_program(flow)


def test_invalid_condition_logic_is_a_compile_error() -> None:
    flow = parse(
        flow_xml(
            variable("x")
            + decision(
                "Pick",
                [rule("A", [condition("x", "IsNull", "<booleanValue>true</booleanValue>")], None, logic="1 AND 4")],
            ),
            start="Pick",
        )
    )
    with pytest.raises(FlowCompileError, match=r"element Pick\).*condition 4"):
        compile_program(flow)


def test_formula_syntax_error_is_a_compile_error_naming_the_formula() -> None:
    flow = parse(flow_xml(formula("Broken", "Number", "1 +* 2")))
    with pytest.raises(FlowCompileError) as caught:
        compile_program(flow)
    assert caught.value.element == "Broken"


def test_loop_with_a_dangling_next_value_connector_is_a_compile_error() -> None:
    flow = parse(
        flow_xml(
            variable("items", collection=True)
            + f"<loops><name>Each</name><label>Each</label>{LOC}<collectionReference>items</collectionReference>"
            "<nextValueConnector><targetReference>Ghost</targetReference></nextValueConnector></loops>",
            start="Each",
        )
    )
    with pytest.raises(FlowCompileError, match="element Each"):
        compile_program(flow)
