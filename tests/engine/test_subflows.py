"""Subflows and flow actions through `FlowEngine`: inputs, outputs, faults, recursion, versions (§5.8)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flowforce.engine.batch import BatchResult
from flowforce.engine.engine import FlowEngine, UnknownFlowError
from flowforce.engine.settings import EngineSettings

from .flowkit import (
    ERROR,
    FINISHED,
    LOC,
    Catalog,
    RecordingAction,
    action_call,
    assignment,
    context,
    engine_for,
    flow_xml,
    parse,
    registry_with,
    variable,
)


def ref(name: str) -> str:
    return f"<elementReference>{name}</elementReference>"


def text(value: str) -> str:
    return f"<stringValue>{value}</stringValue>"


def subflow(
    name: str,
    flow_name: str,
    inputs: dict[str, str] | None = None,
    outputs: dict[str, str] | None = None,
    *,
    automatic: bool = False,
    next_: str | None = None,
) -> str:
    ins = "".join(
        f"<inputAssignments><name>{k}</name><value>{v}</value></inputAssignments>" for k, v in (inputs or {}).items()
    )
    outs = "".join(
        f"<outputAssignments><assignToReference>{target}</assignToReference><name>{k}</name></outputAssignments>"
        for k, target in (outputs or {}).items()
    )
    auto = "<storeOutputAutomatically>true</storeOutputAutomatically>" if automatic else ""
    nxt = f"<connector><targetReference>{next_}</targetReference></connector>" if next_ else ""
    return (
        f"<subflows><name>{name}</name><label>{name}</label>{LOC}<flowName>{flow_name}</flowName>"
        f"{ins}{outs}{auto}{nxt}</subflows>"
    )


def doubler(version: int = 1, factor: str = "2", status: str = "Active") -> object:
    """Child flow: output `result` = input `n` * factor."""
    xml = flow_xml(
        variable("n", "Number", input=True)
        + variable("result", "Number", output=True)
        + variable("secret", "Number")
        + assignment(
            "Multiply",
            [
                ("result", "Assign", ref("n")),
                ("result", "Add", f"<formulaExpression>{{!n}} * ({factor} - 1)</formulaExpression>"),
            ],
        ),
        start="Multiply",
        status=status,
    )
    return parse(xml, "Doubler", version)


def parent(body: str, start: str) -> object:
    return parse(flow_xml(body, start=start), "Parent")


def run(engine: FlowEngine, name: str, inputs: list[dict], **context_kwargs: object) -> BatchResult:
    return engine.run(name, inputs, context(**context_kwargs))


# ------------------------------------------------------------------------------------------ data in and out


def test_subflow_inputs_and_output_assignments() -> None:
    main = parent(
        variable("x", "Number", input=True)
        + variable("y", "Number", output=True)
        + subflow("Call_Doubler", "Doubler", {"n": ref("x")}, {"result": "y"}),
        "Call_Doubler",
    )
    result = run(engine_for(main, doubler()), "Parent", [{"x": 21}]).results[0]
    assert result.status is FINISHED
    assert result.outputs == {"y": Decimal(42)}


def test_store_output_automatically_reads_child_outputs_by_element_name() -> None:
    main = parent(
        variable("y", "Number", output=True)
        + subflow("Call_Doubler", "Doubler", {"n": "<numberValue>5</numberValue>"}, automatic=True, next_="Copy")
        + assignment("Copy", [("y", "Assign", ref("Call_Doubler.result"))]),
        "Call_Doubler",
    )
    assert run(engine_for(main, doubler()), "Parent", [{}]).results[0].outputs == {"y": Decimal(10)}


def test_child_non_output_variables_are_not_visible() -> None:
    main = parent(
        variable("y", "Number", output=True)
        + subflow("Call_Doubler", "Doubler", {"n": "<numberValue>5</numberValue>"}, automatic=True, next_="Copy")
        + assignment(
            "Copy", [("y", "Assign", "<formulaExpression>BLANKVALUE({!Call_Doubler.secret}, -1)</formulaExpression>")]
        ),
        "Call_Doubler",
    )
    assert run(engine_for(main, doubler()), "Parent", [{}]).results[0].outputs == {"y": Decimal(-1)}


def test_subflow_trace_names_the_child_and_its_version() -> None:
    main = parent(subflow("Call_Doubler", "Doubler", {"n": "<numberValue>1</numberValue>"}), "Call_Doubler")
    result = run(engine_for(main, doubler(version=3)), "Parent", [{}]).results[0]
    assert result.trace is not None
    assert (result.trace[0].element_type, result.trace[0].detail) == ("FlowSubflow", "ran Doubler version 3")


def test_subflow_runs_the_catalogs_runnable_version() -> None:
    main = parent(
        variable("y", "Number", output=True)
        + subflow("Call", "Doubler", {"n": "<numberValue>10</numberValue>"}, {"result": "y"}),
        "Call",
    )
    catalog = Catalog(
        main,
        doubler(version=1, factor="2", status="Obsolete"),
        doubler(version=2, factor="3", status="Active"),
        doubler(version=3, factor="4", status="Draft"),
    )
    assert run(FlowEngine(catalog), "Parent", [{}]).results[0].outputs == {"y": Decimal(30)}


def test_subflow_interviews_run_as_one_batch() -> None:
    action = RecordingAction("Audit", handler=lambda request: {})
    child = parse(
        flow_xml(variable("n", "Number", input=True) + action_call("Log", "Audit", {"n": ref("n")}), start="Log"),
        "Child",
    )
    main = parent(variable("x", "Number", input=True) + subflow("Call", "Child", {"n": ref("x")}), "Call")
    batch = run(engine_for(main, child), "Parent", [{"x": 1}, {"x": 2}, {"x": 3}], actions=registry_with(action))
    assert batch.all_succeeded
    assert [[r["n"] for r in call] for call in action.calls] == [[Decimal(1), Decimal(2), Decimal(3)]]


# ------------------------------------------------------------------------------------------ failures


def failing_child() -> object:
    xml = flow_xml(
        variable("acct", "SObject", object_type="Account")
        + variable("out")
        + assignment("Read_Name", [("out", "Assign", ref("acct.Name"))]),
        start="Read_Name",
    )
    return parse(xml, "Failing_Child")


def test_child_unhandled_fault_fails_the_parent() -> None:
    main = parent(
        variable("done", output=True)
        + subflow("Call_Child", "Failing_Child", next_="Finish")
        + assignment("Finish", [("done", "Assign", text("yes"))]),
        "Call_Child",
    )
    result = run(engine_for(main, failing_child()), "Parent", [{}]).results[0]
    assert result.status is ERROR
    assert result.failure is not None
    assert (result.failure.element, result.failure.element_type) == ("Call_Child", "FlowSubflow")
    assert result.failure.message == (
        "The flow failed to access the value for acct.Name because it hasn't been set or assigned. "
        "(element Read_Name of Failing_Child)"
    )


def test_flow_action_with_a_fault_connector_catches_the_child_fault() -> None:
    main = parent(
        variable("error", output=True)
        + action_call("Call_Child", "Failing_Child", action_type="flow", fault="Handle")
        + assignment("Handle", [("error", "Assign", ref("$Flow.FaultMessage"))]),
        "Call_Child",
    )
    result = run(engine_for(main, failing_child()), "Parent", [{}]).results[0]
    assert result.status is FINISHED
    assert result.outputs == {
        "error": "The flow failed to access the value for acct.Name because it hasn't been set or assigned."
    }


def test_flow_action_passes_inputs_and_outputs() -> None:
    main = parent(
        variable("y", "Number", output=True)
        + action_call(
            "Call", "Doubler", {"n": "<numberValue>4</numberValue>"}, action_type="flow", outputs={"result": "y"}
        ),
        "Call",
    )
    assert run(engine_for(main, doubler()), "Parent", [{}]).results[0].outputs == {"y": Decimal(8)}


def test_unknown_subflow_fails_the_parent() -> None:
    main = parent(subflow("Call", "Nowhere"), "Call")
    result = run(engine_for(main), "Parent", [{}]).results[0]
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.message == "The flow Nowhere doesn't exist or has no version that can run."


def test_subflow_input_to_a_non_input_variable_fails_the_parent() -> None:
    main = parent(subflow("Call", "Doubler", {"secret": "<numberValue>1</numberValue>"}), "Call")
    result = run(engine_for(main, doubler()), "Parent", [{}]).results[0]
    assert result.failure is not None
    assert result.failure.message == (
        "The flow doesn't have a variable with the name secret, or the variable doesn't allow input access."
    )


def test_child_failure_fails_only_the_parents_that_hit_it() -> None:
    child = parse(
        flow_xml(
            variable("d", "Number", input=True)
            + variable("q", "Number", output=True)
            + assignment("Divide", [("q", "Assign", "<formulaExpression>10 / {!d}</formulaExpression>")]),
            start="Divide",
        ),
        "Divider",
    )
    main = parent(
        variable("d", "Number", input=True)
        + variable("q", "Number", output=True)
        + subflow("Call", "Divider", {"d": ref("d")}, {"q": "q"}),
        "Call",
    )
    batch = run(engine_for(main, child), "Parent", [{"d": 5}, {"d": 0}])
    assert [r.status for r in batch.results] == [FINISHED, ERROR]
    assert batch.results[0].outputs == {"q": Decimal(2)}


def self_caller() -> object:
    return parse(flow_xml(subflow("Recurse", "Self_Caller"), start="Recurse"), "Self_Caller")


def test_recursion_stops_at_the_depth_limit_with_a_clear_error() -> None:
    result = run(engine_for(self_caller()), "Self_Caller", [{}], settings=EngineSettings(max_subflow_depth=5)).results[
        0
    ]
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.element == "Recurse"
    assert result.failure.message == (
        "Maximum subflow depth of 5 exceeded calling Self_Caller (element Recurse of Self_Caller)"
    )


def test_recursion_with_the_default_depth_limit() -> None:
    result = run(engine_for(self_caller()), "Self_Caller", [{}]).results[0]
    assert result.failure is not None
    assert result.failure.message.startswith("Maximum subflow depth of 50 exceeded calling Self_Caller")


def test_bounded_recursion_returns_its_result() -> None:
    countdown = parse(
        flow_xml(
            variable("n", "Number", input=True)
            + variable("steps", "Number", output=True)
            + "<decisions><name>Done</name><label>Done</label>"
            + LOC
            + "<defaultConnector><targetReference>Recurse</targetReference></defaultConnector>"
            "<rules><name>Zero</name><conditionLogic>and</conditionLogic><conditions>"
            "<leftValueReference>n</leftValueReference><operator>LessThanOrEqualTo</operator>"
            "<rightValue><numberValue>0</numberValue></rightValue></conditions>"
            "<connector><targetReference>Stop</targetReference></connector><label>Zero</label></rules></decisions>"
            + assignment("Stop", [("steps", "Assign", "<numberValue>0</numberValue>")])
            + subflow(
                "Recurse",
                "Countdown",
                {"n": "<formulaExpression>{!n} - 1</formulaExpression>"},
                {"steps": "steps"},
                next_="Count",
            )
            + assignment("Count", [("steps", "Add", "<numberValue>1</numberValue>")]),
            start="Done",
        ),
        "Countdown",
    )
    result = run(engine_for(countdown), "Countdown", [{"n": 7}]).results[0]
    assert result.outputs == {"steps": Decimal(7)}


def test_engine_refuses_an_unknown_flow_name() -> None:
    with pytest.raises(UnknownFlowError):
        engine_for().run("Missing", [{}])
