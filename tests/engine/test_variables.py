"""Variables: defaults, input coercion from JSON, input errors, outputs, scale (flow-metadata.md §4.1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from flowforce.records.record import Record

from .flowkit import ERROR, assignment, flow_xml, outputs_of, run_flow, run_one, variable


def echo_flow(
    data_type: str, *, collection: bool = False, scale: int | None = None, object_type: str | None = None
) -> str:
    """A flow whose input `x` is copied to the output `y` of the same type."""
    return flow_xml(
        variable("x", data_type, input=True, collection=collection, scale=scale, object_type=object_type)
        + variable("y", data_type, output=True, collection=collection, scale=scale, object_type=object_type)
        + assignment("Copy", [("y", "Assign", "<elementReference>x</elementReference>")]),
        start="Copy",
    )


# ------------------------------------------------------------------------------------------ defaults


def test_literal_default_is_applied_when_the_interview_starts() -> None:
    xml = flow_xml(variable("greeting", output=True, default="<stringValue>hello</stringValue>"))
    assert outputs_of(xml) == {"greeting": "hello"}


def test_number_default_is_a_decimal() -> None:
    xml = flow_xml(variable("n", "Number", output=True, scale=2, default="<numberValue>2.5</numberValue>"))
    assert outputs_of(xml)["n"] == Decimal("2.50")


def test_element_reference_default_reads_another_resource() -> None:
    xml = flow_xml(
        "<constants><name>Base</name><dataType>String</dataType><value><stringValue>from constant"
        "</stringValue></value></constants>"
        + variable("copy", output=True, default="<elementReference>Base</elementReference>")
    )
    assert outputs_of(xml) == {"copy": "from constant"}


def test_input_overrides_the_default() -> None:
    xml = flow_xml(variable("x", input=True, output=True, default="<stringValue>default</stringValue>"))
    assert outputs_of(xml, {"x": "given"}) == {"x": "given"}


def test_boolean_default_false_is_kept() -> None:
    xml = flow_xml(variable("flag", "Boolean", output=True, default="<booleanValue>false</booleanValue>"))
    assert outputs_of(xml) == {"flag": False}


# ------------------------------------------------------------------------------------------ input coercion


def test_json_integer_becomes_decimal() -> None:
    value = outputs_of(echo_flow("Number"), {"x": 3})["y"]
    assert value == Decimal(3) and isinstance(value, Decimal)


def test_json_float_becomes_the_exact_decimal_of_its_shortest_form() -> None:
    assert outputs_of(echo_flow("Number"), {"x": 0.1})["y"] == Decimal("0.1")


def test_numeric_string_input_is_accepted_for_number() -> None:
    assert outputs_of(echo_flow("Currency"), {"x": "12.30"})["y"] == Decimal("12.30")


def test_iso_date_string_becomes_a_date() -> None:
    assert outputs_of(echo_flow("Date"), {"x": "2024-02-29"})["y"] == dt.date(2024, 2, 29)


def test_iso_datetime_with_z_becomes_aware_utc() -> None:
    assert outputs_of(echo_flow("DateTime"), {"x": "2024-01-31T09:15:00Z"})["y"] == dt.datetime(
        2024, 1, 31, 9, 15, tzinfo=dt.UTC
    )


def test_datetime_with_salesforce_offset_is_converted_to_utc() -> None:
    assert outputs_of(echo_flow("DateTime"), {"x": "2024-01-31T10:15:00.000+0100"})["y"] == dt.datetime(
        2024, 1, 31, 9, 15, tzinfo=dt.UTC
    )


def test_time_string_becomes_a_time() -> None:
    assert outputs_of(echo_flow("Time"), {"x": "09:15:30.000Z"})["y"] == dt.time(9, 15, 30)


@pytest.mark.parametrize(("given", "expected"), [(True, True), (False, False), ("true", True), ("FALSE", False)])
def test_boolean_input_accepts_json_booleans_and_their_text(given: object, expected: bool) -> None:
    assert outputs_of(echo_flow("Boolean"), {"x": given})["y"] is expected


def test_sobject_input_with_attributes_becomes_a_record_of_that_type() -> None:
    record = outputs_of(
        echo_flow("SObject", object_type="Account"),
        {"x": {"attributes": {"type": "Account"}, "Name": "Acme"}},
    )["y"]
    assert isinstance(record, Record)
    assert record.sobject_type == "Account"
    assert record["Name"] == "Acme"
    assert "attributes" not in record


def test_sobject_input_without_attributes_takes_the_variable_object_type() -> None:
    record = outputs_of(echo_flow("SObject", object_type="Contact"), {"x": {"LastName": "Smith"}})["y"]
    assert record.sobject_type == "Contact"
    assert record["LastName"] == "Smith"


def test_sobject_input_of_another_object_type_is_rejected() -> None:
    result = run_one(
        echo_flow("SObject", object_type="Account"),
        {"x": {"attributes": {"type": "Contact"}, "LastName": "Smith"}},
    )
    assert result.status is ERROR
    assert result.failure is not None
    assert "x" in result.failure.message and "Account record" in result.failure.message


def test_collection_input_coerces_every_item() -> None:
    assert outputs_of(echo_flow("Number", collection=True), {"x": [1, "2.5", 3.25]})["y"] == [
        Decimal(1),
        Decimal("2.5"),
        Decimal("3.25"),
    ]


def test_record_collection_input_becomes_records() -> None:
    records = outputs_of(
        echo_flow("SObject", collection=True, object_type="Account"), {"x": [{"Name": "A"}, {"Name": "B"}]}
    )["y"]
    assert [r["Name"] for r in records] == ["A", "B"]
    assert all(isinstance(r, Record) and r.sobject_type == "Account" for r in records)


def test_null_input_stays_null() -> None:
    assert outputs_of(echo_flow("Number"), {"x": None}) == {"y": None}


def test_input_names_are_case_insensitive() -> None:
    assert outputs_of(echo_flow("String"), {"X": "upper"}) == {"y": "upper"}


# ------------------------------------------------------------------------------------------ input errors


def test_unknown_input_fails_with_salesforce_message() -> None:
    result = run_one(echo_flow("String"), {"foo": "bar"})
    assert result.status is ERROR
    assert result.input_error
    assert result.outputs is None
    assert result.failure is not None
    assert result.failure.message == (
        "The flow doesn't have a variable with the name foo, or the variable doesn't allow input access."
    )


def test_non_input_variable_fails_with_the_same_message() -> None:
    result = run_one(echo_flow("String"), {"y": "sneaky"})
    assert result.failure is not None
    assert result.failure.message == (
        "The flow doesn't have a variable with the name y, or the variable doesn't allow input access."
    )


def test_wrong_type_names_the_variable_and_the_expected_type() -> None:
    result = run_one(echo_flow("Number"), {"x": "lots"})
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.message.startswith("The input variable x expects a Number")


def test_scalar_given_for_a_collection_names_the_collection_type() -> None:
    result = run_one(echo_flow("Date", collection=True), {"x": "2024-01-01"})
    assert result.failure is not None
    assert "The input variable x expects a collection of Dates" in result.failure.message


def test_boolean_variable_rejects_a_number() -> None:
    result = run_one(echo_flow("Boolean"), {"x": 1})
    assert result.failure is not None
    assert result.failure.message.startswith("The input variable x expects a Boolean")


def test_bad_input_fails_only_its_own_interview() -> None:
    batch = run_flow(echo_flow("Number"), [{"x": 1}, {"x": "nope"}, {"x": 3}])
    assert [r.status.value for r in batch.results] == ["Finished", "Error", "Finished"]
    assert batch.results[2].outputs == {"y": Decimal(3)}


# ------------------------------------------------------------------------------------------ outputs


def test_every_output_variable_is_present_and_null_when_unset() -> None:
    xml = flow_xml(
        variable("a", output=True)
        + variable("b", "Number", output=True)
        + variable("c", "SObject", output=True, object_type="Account")
        + variable("hidden")
    )
    assert outputs_of(xml) == {"a": None, "b": None, "c": None}


def test_outputs_hold_the_values_at_the_end_of_the_interview() -> None:
    xml = flow_xml(
        variable("x", "Number", input=True, output=True)
        + assignment("Twice", [("x", "Add", "<elementReference>x</elementReference>")]),
        start="Twice",
    )
    assert outputs_of(xml, {"x": 21}) == {"x": Decimal(42)}


def test_result_carries_flow_name_version_and_guid() -> None:
    result = run_one(echo_flow("String"), {"x": "a"})
    assert result.flow_name == "Test_Flow"
    assert result.version == 1
    assert result.guid is not None


# ------------------------------------------------------------------------------------------ scale


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2.345", "2.35"),
        ("2.344", "2.34"),
        ("-2.345", "-2.35"),
        ("7", "7.00"),
    ],
)
def test_number_input_is_rounded_half_up_to_the_scale(given: str, expected: str) -> None:
    assert outputs_of(echo_flow("Number", scale=2), {"x": given})["y"] == Decimal(expected)


def test_assigned_value_is_rounded_to_the_target_scale() -> None:
    xml = flow_xml(
        variable("n", "Number", output=True, scale=0)
        + assignment("Set", [("n", "Assign", "<numberValue>2.5</numberValue>")]),
        start="Set",
    )
    assert str(outputs_of(xml)["n"]) == "3"


def test_assigning_text_to_a_number_variable_faults_naming_the_variable() -> None:
    xml = flow_xml(
        variable("n", "Number", output=True) + assignment("Set", [("n", "Assign", "<stringValue>abc</stringValue>")]),
        start="Set",
    )
    result = run_one(xml)
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.element == "Set"
    assert result.failure.message.startswith("The value for n must be a Number")
