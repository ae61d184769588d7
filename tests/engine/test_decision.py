"""Decision element: operators, null handling, outcome order, custom logic, outcome resources (§5.2)."""

from __future__ import annotations

from typing import Any

import pytest

from flowforce.actions.registry import ActionFailure
from flowforce.engine.engine import compile_program
from flowforce.engine.runner import run_interviews
from flowforce.records.record import Record

from .flowkit import (
    FINISHED,
    RecordingAction,
    action_call,
    assignment,
    condition,
    context,
    decision,
    flow_xml,
    formula,
    outputs_of,
    parse,
    path_of,
    registry_with,
    rule,
    run_one,
    variable,
)


def num(value: str) -> str:
    return f"<numberValue>{value}</numberValue>"


def text(value: str) -> str:
    return f"<stringValue>{value}</stringValue>"


def boolean(value: bool) -> str:
    return f"<booleanValue>{str(value).lower()}</booleanValue>"


def ref(name: str) -> str:
    return f"<elementReference>{name}</elementReference>"


MARKERS = (
    variable("result", output=True)
    + assignment("Yes", [("result", "Assign", text("yes"))])
    + assignment("No", [("result", "Assign", text("no"))])
)


def decide(
    data_type: str,
    operator: str,
    right: str | None,
    left: Any,
    *,
    collection: bool = False,
    extra: str = "",
    inputs: dict[str, Any] | None = None,
) -> bool:
    """Run `x <operator> right` in a one-rule decision; True when the rule's outcome was taken."""
    xml = flow_xml(
        variable("x", data_type, input=True, collection=collection)
        + extra
        + MARKERS
        + decision("Check", [rule("Matches", [condition("x", operator, right)], "Yes")], default="No"),
        start="Check",
    )
    result = outputs_of(xml, {"x": left, **(inputs or {})})["result"]
    assert result in ("yes", "no")
    return result == "yes"


# ------------------------------------------------------------------------------------------ equality


def test_equal_to_text_is_case_insensitive() -> None:
    assert decide("String", "EqualTo", text("hello"), "HeLLo")


def test_equal_to_text_differs() -> None:
    assert not decide("String", "EqualTo", text("hello"), "help")


def test_equal_to_numbers_compare_by_value() -> None:
    assert decide("Number", "EqualTo", num("1.0"), 1)


def test_not_equal_to_text() -> None:
    assert decide("String", "NotEqualTo", text("a"), "b")


def test_not_equal_to_is_false_for_case_variants() -> None:
    assert not decide("String", "NotEqualTo", text("abc"), "ABC")


def test_equal_to_without_a_right_value_means_is_null() -> None:
    assert decide("String", "EqualTo", None, None)


def test_null_boolean_is_not_equal_to_false() -> None:
    assert not decide("Boolean", "EqualTo", boolean(False), None)


def test_null_boolean_is_not_equal_to_false_so_not_equal_to_is_true() -> None:
    assert decide("Boolean", "NotEqualTo", boolean(False), None)


def test_equal_to_global_constant_true() -> None:
    assert decide("Boolean", "EqualTo", ref("$GlobalConstant.True"), True)


def test_date_equals_the_same_date() -> None:
    assert decide("Date", "EqualTo", "<dateValue>2024-01-31</dateValue>", "2024-01-31")


# ------------------------------------------------------------------------------------------ ordering


@pytest.mark.parametrize(
    ("operator", "left", "expected"),
    [
        ("GreaterThan", 5, True),
        ("GreaterThan", 3, False),
        ("LessThan", 2, True),
        ("LessThan", 3, False),
        ("GreaterThanOrEqualTo", 3, True),
        ("GreaterThanOrEqualTo", "2.99", False),
        ("LessThanOrEqualTo", 3, True),
        ("LessThanOrEqualTo", "3.01", False),
    ],
)
def test_number_ordering(operator: str, left: Any, expected: bool) -> None:
    assert decide("Number", operator, num("3"), left) is expected


@pytest.mark.parametrize(
    ("operator", "left", "expected"),
    [
        ("GreaterThan", "2024-02-01", True),
        ("LessThan", "2024-02-01", False),
        ("LessThanOrEqualTo", "2024-01-31", True),
    ],
)
def test_date_ordering(operator: str, left: str, expected: bool) -> None:
    assert decide("Date", operator, "<dateValue>2024-01-31</dateValue>", left) is expected


@pytest.mark.parametrize(
    ("operator", "left", "expected"),
    [
        ("GreaterThan", "2024-01-31T09:15:01Z", True),
        ("LessThan", "2024-01-31T09:14:59Z", True),
        ("GreaterThanOrEqualTo", "2024-01-31T09:14:59Z", False),
    ],
)
def test_datetime_ordering(operator: str, left: str, expected: bool) -> None:
    right = "<dateTimeValue>2024-01-31T09:15:00.000Z</dateTimeValue>"
    assert decide("DateTime", operator, right, left) is expected


@pytest.mark.parametrize("operator", ["GreaterThan", "LessThan", "GreaterThanOrEqualTo", "LessThanOrEqualTo"])
def test_ordering_against_null_is_false(operator: str) -> None:
    assert not decide("Number", operator, num("0"), None)


# ------------------------------------------------------------------------------------------ text tests


def test_starts_with() -> None:
    assert decide("String", "StartsWith", text("Acme"), "Acme Corp")


def test_starts_with_false() -> None:
    assert not decide("String", "StartsWith", text("Corp"), "Acme Corp")


def test_ends_with() -> None:
    assert decide("String", "EndsWith", text("Corp"), "Acme Corp")


def test_contains() -> None:
    assert decide("String", "Contains", text("me C"), "Acme Corp")


def test_contains_on_null_is_false() -> None:
    assert not decide("String", "Contains", text("a"), None)


def test_contains_on_a_text_collection_means_has_the_item() -> None:
    assert decide("String", "Contains", text("blue"), ["Red", "Blue"], collection=True)


# ------------------------------------------------------------------------------------------ null / blank


@pytest.mark.parametrize(("left", "expected"), [(None, True), ("", False), ("x", False)])
def test_is_null_true(left: Any, expected: bool) -> None:
    assert decide("String", "IsNull", boolean(True), left) is expected


@pytest.mark.parametrize(("left", "expected"), [(None, False), ("", True), ("x", True)])
def test_is_null_false(left: Any, expected: bool) -> None:
    assert decide("String", "IsNull", boolean(False), left) is expected


@pytest.mark.parametrize(("left", "expected"), [(None, True), ("", True), ("   ", True), ("x", False)])
def test_is_blank_text(left: Any, expected: bool) -> None:
    assert decide("String", "IsBlank", boolean(True), left) is expected


def test_is_blank_false_on_a_number_zero() -> None:
    assert decide("Number", "IsBlank", boolean(False), 0)


@pytest.mark.parametrize(("left", "expected"), [(None, True), ([], True), (["a"], False)])
def test_is_empty_collection(left: Any, expected: bool) -> None:
    assert decide("String", "IsEmpty", boolean(True), left, collection=True) is expected


def test_was_set_on_a_record_field() -> None:
    xml = flow_xml(
        variable("acct", "SObject", input=True, object_type="Account")
        + MARKERS
        + decision("Check", [rule("Set", [condition("acct.Phone", "WasSet", boolean(True))], "Yes")], default="No"),
        start="Check",
    )
    assert outputs_of(xml, {"acct": {"Phone": "555"}}) == {"result": "yes"}
    assert outputs_of(xml, {"acct": {"Phone": None}}) == {"result": "no"}


# ------------------------------------------------------------------------------------------ In / NotIn


def test_in_a_text_collection() -> None:
    extra = variable("allowed", collection=True, input=True)
    assert decide("String", "In", ref("allowed"), "GOLD", extra=extra, inputs={"allowed": ["gold", "silver"]})


def test_not_in_a_text_collection() -> None:
    extra = variable("allowed", collection=True, input=True)
    assert decide("String", "NotIn", ref("allowed"), "bronze", extra=extra, inputs={"allowed": ["gold", "silver"]})


def test_in_a_null_collection_is_false() -> None:
    extra = variable("allowed", collection=True, input=True)
    assert not decide("String", "In", ref("allowed"), "gold", extra=extra)


# ------------------------------------------------------------------------------------------ history operators


def test_was_visited_is_true_for_an_element_already_run() -> None:
    xml = flow_xml(
        variable("result", output=True)
        + assignment("First", [("result", "Assign", text("first"))], next_="Check")
        + assignment("Yes", [("result", "Add", text("+visited"))])
        + decision("Check", [rule("Seen", [condition("First", "WasVisited", boolean(True))], "Yes")]),
        start="First",
    )
    assert outputs_of(xml) == {"result": "first+visited"}


def test_was_visited_is_false_for_an_element_not_run() -> None:
    xml = flow_xml(
        variable("result", output=True)
        + assignment("Never", [("result", "Assign", text("never"))])
        + assignment("Yes", [("result", "Assign", text("seen"))])
        + assignment("No", [("result", "Assign", text("unseen"))])
        + decision("Check", [rule("Seen", [condition("Never", "WasVisited", boolean(True))], "Yes")], default="No"),
        start="Check",
    )
    assert outputs_of(xml) == {"result": "unseen"}


def test_has_error_after_an_action_fault() -> None:
    action = RecordingAction("Boom", handler=lambda request: ActionFailure("kaput"))
    xml = flow_xml(
        MARKERS
        + action_call("Call_Boom", "Boom", next_="Check", fault="Check")
        + decision(
            "Check",
            [rule("Failed", [condition("Call_Boom", "HasError", boolean(True))], "Yes")],
            default="No",
        ),
        start="Call_Boom",
    )
    assert outputs_of(xml, actions=registry_with(action)) == {"result": "yes"}


def test_has_error_is_false_after_an_action_succeeds() -> None:
    action = RecordingAction("Fine")
    xml = flow_xml(
        MARKERS
        + action_call("Call_Fine", "Fine", next_="Check", fault="Check")
        + decision(
            "Check",
            [rule("Failed", [condition("Call_Fine", "HasError", boolean(True))], "Yes")],
            default="No",
        ),
        start="Call_Fine",
    )
    assert outputs_of(xml, actions=registry_with(action)) == {"result": "no"}


def test_is_changed_is_false_without_a_prior_record() -> None:
    xml = flow_xml(
        MARKERS
        + decision(
            "Check",
            [rule("Changed", [condition("$Record.Name", "IsChanged", boolean(True))], "Yes")],
            default="No",
        ),
        start="Check",
    )
    assert outputs_of(xml) == {"result": "no"}


# ------------------------------------------------------------------------------------------ outcomes


def three_outcomes() -> str:
    return flow_xml(
        variable("n", "Number", input=True)
        + MARKERS
        + assignment("Big", [("result", "Assign", text("big"))])
        + decision(
            "Size",
            [
                rule("Over_100", [condition("n", "GreaterThan", num("100"))], "Big"),
                rule("Over_10", [condition("n", "GreaterThan", num("10"))], "Yes"),
                rule("Over_50", [condition("n", "GreaterThan", num("50"))], "Big"),
            ],
            default="No",
            default_label="Small",
        ),
        start="Size",
    )


def test_first_true_outcome_wins() -> None:
    assert outputs_of(three_outcomes(), {"n": 75}) == {"result": "yes"}


def test_default_outcome_when_nothing_is_true() -> None:
    assert outputs_of(three_outcomes(), {"n": 1}) == {"result": "no"}


def test_trace_names_the_outcome_taken() -> None:
    result = run_one(three_outcomes(), {"n": 500})
    assert result.trace is not None
    assert (result.trace[0].element, result.trace[0].element_type, result.trace[0].outcome) == (
        "Size",
        "FlowDecision",
        "Over_100",
    )
    assert path_of(result) == ["Size", "Big"]


def test_trace_names_the_default_outcome_by_its_label() -> None:
    result = run_one(three_outcomes(), {"n": 0})
    assert result.trace is not None
    assert result.trace[0].outcome == "Small"


def test_decision_without_a_default_ends_the_interview() -> None:
    xml = flow_xml(
        variable("n", "Number", input=True)
        + MARKERS
        + decision("Check", [rule("Big", [condition("n", "GreaterThan", num("10"))], "Yes")]),
        start="Check",
    )
    result = run_one(xml, {"n": 1})
    assert result.status is FINISHED
    assert result.outputs == {"result": None}


def test_outcome_names_are_boolean_resources() -> None:
    xml = flow_xml(
        variable("n", "Number", input=True)
        + variable("took_a", "Boolean", output=True)
        + variable("took_b", "Boolean", output=True)
        + variable("took_c", "Boolean", output=True)
        + assignment(
            "Record",
            [
                ("took_a", "Assign", ref("Outcome_A")),
                ("took_b", "Assign", ref("Outcome_B")),
                ("took_c", "Assign", ref("Outcome_C")),
            ],
        )
        + decision(
            "Pick",
            [
                rule("Outcome_A", [condition("n", "EqualTo", num("1"))], "Record"),
                rule("Outcome_B", [condition("n", "EqualTo", num("2"))], "Record"),
                rule("Outcome_C", [condition("n", "EqualTo", num("3"))], "Record"),
            ],
            default="Record",
        ),
        start="Pick",
    )
    assert outputs_of(xml, {"n": 2}) == {"took_a": False, "took_b": True, "took_c": False}


def test_outcome_of_a_decision_never_reached_is_null() -> None:
    xml = flow_xml(
        variable("took", "Boolean", output=True)
        + assignment("Record", [("took", "Assign", ref("Outcome_A"))])
        + decision("Unreached", [rule("Outcome_A", [condition("took", "IsNull", boolean(True))], None)]),
        start="Record",
    )
    assert outputs_of(xml) == {"took": None}


# ------------------------------------------------------------------------------------------ logic


def custom_logic_flow(logic: str) -> str:
    return flow_xml(
        variable("a", "Boolean", input=True)
        + variable("b", "Boolean", input=True)
        + variable("c", "Boolean", input=True)
        + MARKERS
        + decision(
            "Check",
            [
                rule(
                    "Match",
                    [
                        condition("a", "EqualTo", boolean(True)),
                        condition("b", "EqualTo", boolean(True)),
                        condition("c", "EqualTo", boolean(True)),
                    ],
                    "Yes",
                    logic=logic,
                )
            ],
            default="No",
        ),
        start="Check",
    )


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        (True, True, True, "yes"),
        (True, False, False, "yes"),
        (True, False, True, "no"),
        (False, True, False, "no"),
    ],
)
def test_custom_condition_logic(a: bool, b: bool, c: bool, expected: str) -> None:
    assert outputs_of(custom_logic_flow("1 AND (2 OR NOT 3)"), {"a": a, "b": b, "c": c}) == {"result": expected}


def test_or_logic_needs_one_condition() -> None:
    assert outputs_of(custom_logic_flow("or"), {"a": False, "b": False, "c": True}) == {"result": "yes"}


def test_and_logic_needs_every_condition() -> None:
    assert outputs_of(custom_logic_flow("and"), {"a": True, "b": True, "c": False}) == {"result": "no"}


def test_lower_case_custom_logic_is_accepted() -> None:
    assert outputs_of(custom_logic_flow("(1 or 2) and not 3"), {"a": False, "b": True, "c": False}) == {"result": "yes"}


def test_formula_evaluates_to_true_outcome() -> None:
    xml = flow_xml(
        variable("n", "Number", input=True)
        + MARKERS
        + decision(
            "Check",
            [
                rule(
                    "Even",
                    [condition("n", "EqualTo", text("MOD({!n}, 2) = 0"))],
                    "Yes",
                    logic="formula_evaluates_to_true",
                )
            ],
            default="No",
        ),
        start="Check",
    )
    assert outputs_of(xml, {"n": 4}) == {"result": "yes"}
    assert outputs_of(xml, {"n": 3}) == {"result": "no"}


def test_boolean_formula_resource_in_a_condition() -> None:
    xml = flow_xml(
        variable("n", "Number", input=True)
        + MARKERS
        + formula("IsLarge", "Boolean", "{!n} &gt; 1000")
        + decision("Check", [rule("Large", [condition("IsLarge", "EqualTo", boolean(True))], "Yes")], default="No"),
        start="Check",
    )
    assert outputs_of(xml, {"n": 1001}) == {"result": "yes"}
    assert outputs_of(xml, {"n": 999}) == {"result": "no"}


def test_condition_comparing_two_variables() -> None:
    extra = variable("limit", "Number", input=True)
    assert decide("Number", "GreaterThan", ref("limit"), 10, extra=extra, inputs={"limit": 9})


# ------------------------------------------------------------------------------------------ record-triggered


def _status_change_flow(requires_change: bool = False) -> str:
    flag = "<doesRequireRecordChangedToMeetCriteria>true</doesRequireRecordChangedToMeetCriteria>" \
        if requires_change else ""
    return flow_xml(
        variable("taken", "Boolean", output=True)
        + "<decisions><name>Check</name><label>Check</label><locationX>0</locationX><locationY>0</locationY>"
        "<rules><name>Closed_Now</name><conditionLogic>and</conditionLogic>"
        "<conditions><leftValueReference>$Record.Status</leftValueReference><operator>IsChanged</operator>"
        "<rightValue><booleanValue>true</booleanValue></rightValue></conditions>"
        "<conditions><leftValueReference>$Record.Status</leftValueReference><operator>EqualTo</operator>"
        "<rightValue><stringValue>Closed</stringValue></rightValue></conditions>"
        f"<connector><targetReference>Mark</targetReference></connector>{flag}<label>Closed now</label></rules>"
        "</decisions>" + assignment("Mark", [("taken", "Assign", "<booleanValue>true</booleanValue>")]),
        start="Check",
    )


def _run_triggered(xml: str, record: Record, prior: Record | None) -> dict:
    program = compile_program(parse(xml))
    iv = program.new_interview(context(), record=record, prior=prior)
    run_interviews([iv])
    return iv.outputs()


def test_is_changed_compares_record_with_prior_values() -> None:
    xml = _status_change_flow()
    closed = Record("Case", {"Id": "500000000000001AAA", "Status": "Closed"})
    assert _run_triggered(xml, closed, Record("Case", {"Status": "New"})) == {"taken": True}
    assert _run_triggered(xml, closed, Record("Case", {"Status": "closed"})) == {"taken": None}


def test_is_changed_is_false_on_a_triggered_record_without_prior_values() -> None:
    closed = Record("Case", {"Status": "Closed"})
    assert _run_triggered(_status_change_flow(), closed, None) == {"taken": None}
