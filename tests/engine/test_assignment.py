"""Assignment element: every operator of flow-metadata.md §5.1, run as real flow XML."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from flowforce.engine.settings import EngineSettings
from flowforce.records.record import Record

from .flowkit import ERROR, assignment, flow_xml, outputs_of, run_one, variable


def num(value: str) -> str:
    return f"<numberValue>{value}</numberValue>"


def text(value: str) -> str:
    return f"<stringValue>{value}</stringValue>"


def ref(name: str) -> str:
    return f"<elementReference>{name}</elementReference>"


def single(data_type: str, operator: str, value: str | None, *, scale: int | None = None) -> str:
    """Flow: input/output `x` of *data_type*; one assignment `x <operator> value`."""
    return flow_xml(
        variable("x", data_type, input=True, output=True, scale=scale) + assignment("Change", [("x", operator, value)]),
        start="Change",
    )


def on_list(operator: str, value: str | None, data_type: str = "String") -> str:
    """Flow: input/output collections `items` and `other`; one assignment `items <operator> value`."""
    return flow_xml(
        variable("items", data_type, input=True, output=True, collection=True)
        + variable("other", data_type, input=True, collection=True)
        + assignment("Change", [("items", operator, value)]),
        start="Change",
    )


def items_after(
    operator: str, value: str | None, items: list | None, other: list | None = None, **context_kwargs: object
) -> list | None:
    inputs = {"items": items}
    if other is not None:
        inputs["other"] = other
    return outputs_of(on_list(operator, value), inputs, **context_kwargs)["items"]


# ------------------------------------------------------------------------------------------ Assign


def test_assign_replaces_the_value() -> None:
    assert outputs_of(single("String", "Assign", text("new")), {"x": "old"}) == {"x": "new"}


def test_assign_without_a_value_sets_null() -> None:
    assert outputs_of(single("String", "Assign", None), {"x": "old"}) == {"x": None}


def test_assigning_a_collection_copies_it() -> None:
    xml = flow_xml(
        variable("a", collection=True, input=True, output=True)
        + variable("b", collection=True, output=True)
        + assignment("Copy", [("b", "Assign", ref("a")), ("b", "Add", text("extra"))]),
        start="Copy",
    )
    assert outputs_of(xml, {"a": ["one"]}) == {"a": ["one"], "b": ["one", "extra"]}


def test_assigning_a_single_record_to_a_record_collection_makes_a_one_item_list() -> None:
    xml = flow_xml(
        variable("acct", "SObject", input=True, object_type="Account")
        + variable("accts", "SObject", output=True, collection=True, object_type="Account")
        + assignment("Wrap", [("accts", "Assign", ref("acct"))]),
        start="Wrap",
    )
    records = outputs_of(xml, {"acct": {"Name": "Acme"}})["accts"]
    assert [r["Name"] for r in records] == ["Acme"]


# ------------------------------------------------------------------------------------------ Add / Subtract


def test_add_numbers() -> None:
    assert outputs_of(single("Number", "Add", num("2.5")), {"x": 1}) == {"x": Decimal("3.5")}


def test_add_currency_keeps_two_decimals() -> None:
    assert outputs_of(single("Currency", "Add", num("0.1"), scale=2), {"x": "0.2"}) == {"x": Decimal("0.30")}


def test_add_to_a_null_number_counts_null_as_zero() -> None:
    assert outputs_of(single("Number", "Add", num("5"))) == {"x": Decimal(5)}


def test_add_null_to_a_number_leaves_it_unchanged() -> None:
    assert outputs_of(single("Number", "Add", None), {"x": 7}) == {"x": Decimal(7)}


def test_add_days_to_a_date() -> None:
    assert outputs_of(single("Date", "Add", num("3")), {"x": "2024-02-27"}) == {"x": dt.date(2024, 3, 1)}


def test_add_fractional_days_to_a_datetime() -> None:
    assert outputs_of(single("DateTime", "Add", num("1.5")), {"x": "2024-01-31T00:00:00Z"}) == {
        "x": dt.datetime(2024, 2, 1, 12, 0, tzinfo=dt.UTC)
    }


def test_add_concatenates_text() -> None:
    assert outputs_of(single("String", "Add", text("CD")), {"x": "AB"}) == {"x": "ABCD"}


def test_add_text_to_a_null_text_variable() -> None:
    assert outputs_of(single("String", "Add", text("CD"))) == {"x": "CD"}


def test_add_a_number_to_text_appends_its_text_form() -> None:
    assert outputs_of(single("String", "Add", num("42.0")), {"x": "Answer "}) == {"x": "Answer 42"}


def test_subtract_numbers() -> None:
    assert outputs_of(single("Number", "Subtract", num("2.5")), {"x": 10}) == {"x": Decimal("7.5")}


def test_subtract_days_from_a_date() -> None:
    assert outputs_of(single("Date", "Subtract", num("1")), {"x": "2024-03-01"}) == {"x": dt.date(2024, 2, 29)}


def test_subtract_from_text_faults() -> None:
    result = run_one(single("String", "Subtract", text("A")), {"x": "ABC"})
    assert result.status is ERROR
    assert result.failure is not None
    assert (result.failure.element, result.failure.message) == ("Change", "Text values can't be subtracted")


def test_add_text_to_a_number_faults() -> None:
    result = run_one(single("Number", "Add", text("abc")), {"x": 1})
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.message.startswith("The assignment needs a number")


# ------------------------------------------------------------------------------------------ collections


def test_add_appends_an_item_to_a_collection() -> None:
    assert items_after("Add", text("c"), ["a", "b"]) == ["a", "b", "c"]


def test_add_appends_every_item_of_another_collection() -> None:
    assert items_after("Add", ref("other"), ["a"], ["b", "c"]) == ["a", "b", "c"]


def test_add_to_a_null_collection_starts_a_list() -> None:
    assert items_after("Add", text("first"), None) == ["first"]


def test_add_to_a_number_collection_coerces_the_item() -> None:
    xml = on_list("Add", num("4"), data_type="Number")
    assert outputs_of(xml, {"items": [1]})["items"] == [Decimal(1), Decimal(4)]


def test_add_at_start_inserts_an_item_first() -> None:
    assert items_after("AddAtStart", text("z"), ["a", "b"]) == ["z", "a", "b"]


def test_add_at_start_inserts_a_collection_first() -> None:
    assert items_after("AddAtStart", ref("other"), ["a"], ["x", "y"]) == ["x", "y", "a"]


def test_remove_first_removes_only_the_first_match() -> None:
    assert items_after("RemoveFirst", text("b"), ["a", "b", "c", "b"]) == ["a", "c", "b"]


def test_remove_first_matches_text_case_insensitively() -> None:
    assert items_after("RemoveFirst", text("B"), ["a", "b"]) == ["a"]


def test_remove_all_removes_every_match() -> None:
    assert items_after("RemoveAll", text("b"), ["b", "a", "b", "c"]) == ["a", "c"]


def test_remove_all_with_a_collection_removes_each_of_its_items() -> None:
    assert items_after("RemoveAll", ref("other"), ["a", "b", "c", "a"], ["a", "c"]) == ["b"]


def test_remove_after_first_keeps_the_found_item() -> None:
    assert items_after("RemoveAfterFirst", text("b"), ["a", "b", "c", "b"]) == ["a", "b"]


def test_remove_after_first_without_a_match_changes_nothing() -> None:
    assert items_after("RemoveAfterFirst", text("z"), ["a", "b"]) == ["a", "b"]


def test_remove_before_first_keeps_the_found_item() -> None:
    assert items_after("RemoveBeforeFirst", text("b"), ["a", "b", "c", "b"]) == ["b", "c", "b"]


def test_remove_position_counts_from_one() -> None:
    assert items_after("RemovePosition", num("1"), ["a", "b", "c"]) == ["b", "c"]


def test_remove_position_base_is_a_setting() -> None:
    after = items_after("RemovePosition", num("1"), ["a", "b", "c"], settings=EngineSettings(remove_position_base=0))
    assert after == ["a", "c"]


def test_remove_position_out_of_range_changes_nothing() -> None:
    assert items_after("RemovePosition", num("9"), ["a", "b"]) == ["a", "b"]


def test_remove_uncommon_keeps_only_shared_items_in_target_order() -> None:
    assert items_after("RemoveUncommon", ref("other"), ["c", "a", "b", "a"], ["a", "c"]) == ["c", "a", "a"]


def test_assign_count_counts_the_items() -> None:
    xml = flow_xml(
        variable("items", collection=True, input=True)
        + variable("n", "Number", output=True)
        + assignment("Count", [("n", "AssignCount", ref("items"))]),
        start="Count",
    )
    assert outputs_of(xml, {"items": ["a", "b", "c"]}) == {"n": Decimal(3)}


def test_assign_count_of_a_null_collection_is_zero() -> None:
    xml = flow_xml(
        variable("items", collection=True, input=True)
        + variable("n", "Number", output=True)
        + assignment("Count", [("n", "AssignCount", ref("items"))]),
        start="Count",
    )
    assert outputs_of(xml) == {"n": Decimal(0)}


def test_add_item_appends_a_multipicklist_value_with_a_semicolon() -> None:
    assert outputs_of(single("Multipicklist", "AddItem", text("Blue")), {"x": "Red"}) == {"x": "Red;Blue"}


def test_add_item_on_an_empty_multipicklist_has_no_separator() -> None:
    assert outputs_of(single("Multipicklist", "AddItem", text("Blue"))) == {"x": "Blue"}


# ------------------------------------------------------------------------------------------ records


def test_field_assignment_creates_an_unset_record_variable() -> None:
    xml = flow_xml(
        variable("newCase", "SObject", output=True, object_type="Case")
        + assignment(
            "Fill",
            [("newCase.Subject", "Assign", text("Broken")), ("newCase.Priority", "Assign", text("High"))],
        ),
        start="Fill",
    )
    record = outputs_of(xml)["newCase"]
    assert isinstance(record, Record)
    assert record.sobject_type == "Case"
    assert dict(record) == {"Subject": "Broken", "Priority": "High"}


def test_field_assignment_updates_an_input_record() -> None:
    xml = flow_xml(
        variable("acct", "SObject", input=True, output=True, object_type="Account")
        + assignment("Fill", [("acct.Rating", "Assign", text("Hot"))]),
        start="Fill",
    )
    record = outputs_of(xml, {"acct": {"Name": "Acme"}})["acct"]
    assert dict(record) == {"Name": "Acme", "Rating": "Hot"}


def test_assigning_a_field_of_a_missing_related_record_faults() -> None:
    xml = flow_xml(
        variable("acct", "SObject", input=True, object_type="Account")
        + assignment("Fill", [("acct.Parent.Name", "Assign", text("X"))]),
        start="Fill",
    )
    result = run_one(xml, {"acct": {"Name": "Acme"}})
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.message == (
        "The flow failed to access the value for acct.Parent because it hasn't been set or assigned."
    )


def test_add_on_a_record_number_field() -> None:
    xml = flow_xml(
        variable("opp", "SObject", input=True, output=True, object_type="Opportunity")
        + assignment("Bump", [("opp.Amount", "Add", num("50"))]),
        start="Bump",
    )
    assert outputs_of(xml, {"opp": {"Amount": 100}})["opp"]["Amount"] == Decimal(150)


# ------------------------------------------------------------------------------------------ order, trace


def test_items_run_in_order_and_see_previous_results() -> None:
    xml = flow_xml(
        variable("a", "Number", output=True)
        + variable("b", "Number", output=True)
        + assignment(
            "Steps",
            [
                ("a", "Assign", num("2")),
                ("b", "Assign", ref("a")),
                ("a", "Add", ref("b")),
                ("b", "Subtract", num("1")),
            ],
        ),
        start="Steps",
    )
    assert outputs_of(xml) == {"a": Decimal(4), "b": Decimal(1)}


def test_trace_records_the_changes_of_an_assignment() -> None:
    xml = flow_xml(
        variable("a", "Number", output=True)
        + variable("t", output=True)
        + assignment("Steps", [("a", "Assign", num("2")), ("t", "Assign", text("x"))]),
        start="Steps",
    )
    result = run_one(xml)
    assert result.trace is not None
    entry = result.trace[0]
    assert (entry.element, entry.element_type) == ("Steps", "FlowAssignment")
    assert entry.changes == {"a": Decimal(2), "t": "x"}


def test_trace_can_be_turned_off() -> None:
    xml = flow_xml(variable("a", output=True) + assignment("Set", [("a", "Assign", text("x"))]), start="Set")
    result = run_one(xml, settings=EngineSettings(trace=False))
    assert result.trace is None
    assert result.outputs == {"a": "x"}


@pytest.mark.parametrize("operator", ["RemoveFirst", "RemoveAll", "RemoveAfterFirst", "RemoveBeforeFirst",
                                      "RemovePosition", "RemoveUncommon"])
def test_remove_operators_leave_a_null_collection_null(operator: str) -> None:
    assert items_after(operator, "<numberValue>1</numberValue>" if operator == "RemovePosition" else text("a"),
                       None) is None


def test_adding_a_collection_to_itself_doubles_it() -> None:
    assert items_after("Add", ref("items"), ["a", "b"]) == ["a", "b", "a", "b"]


def test_adding_to_a_collection_leaves_the_added_collection_alone() -> None:
    xml = flow_xml(
        variable("items", "String", input=True, output=True, collection=True)
        + variable("other", "String", input=True, output=True, collection=True)
        + assignment("Change", [("items", "Add", ref("other")), ("items", "Add", text("z"))]),
        start="Change",
    )
    outputs = outputs_of(xml, {"items": ["a"], "other": ["b"]})
    assert (outputs["items"], outputs["other"]) == (["a", "b", "z"], ["b"])


def test_ten_thousand_appends_keep_their_order() -> None:
    """Appending is in place (O(1) a step): a loop of 10,000 appends finishes and keeps every item in order."""
    xml = flow_xml(
        variable("n", "Number", output=True, scale=0, default=num("0"))
        + variable("items", "Number", output=True, collection=True, scale=0)
        + assignment("Step", [("n", "Add", num("1")), ("items", "Add", ref("n"))], next_="More")
        + """<decisions><name>More</name><label>More</label><locationX>0</locationX><locationY>0</locationY>
          <rules><name>Again</name><conditionLogic>and</conditionLogic>
          <conditions><leftValueReference>n</leftValueReference><operator>LessThan</operator>
          <rightValue><numberValue>10000</numberValue></rightValue></conditions>
          <connector><targetReference>Step</targetReference></connector><label>Again</label></rules></decisions>""",
        start="Step",
    )
    items = outputs_of(xml, {})["items"]
    assert len(items) == 10_000 and items[:3] == [1, 2, 3] and items[-1] == 10_000
