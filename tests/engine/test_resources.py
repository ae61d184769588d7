"""Formulas, text templates, merge fields, constants and globals as elements read them (§4.3–§4.5, §6)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from flowforce.engine.context import default_user
from flowforce.records.record import Record

from .flowkit import (
    ERROR,
    LOC,
    assignment,
    flow_xml,
    formula,
    outputs_of,
    run_flow,
    run_one,
    variable,
)


def ref(name: str) -> str:
    return f"<elementReference>{name}</elementReference>"


def text(value: str) -> str:
    return f"<stringValue>{value}</stringValue>"


def template(name: str, body: str) -> str:
    return (
        f"<textTemplates><name>{name}</name><isViewedAsPlainText>true</isViewedAsPlainText>"
        f"<text>{body}</text></textTemplates>"
    )


def read(
    reference: str,
    data_type: str = "String",
    extra: str = "",
    inputs: dict | None = None,
    **context_kwargs: object,
) -> object:
    """Assign the value of *reference* to an output and return it."""
    xml = flow_xml(
        variable("out", data_type, output=True) + extra + assignment("Read", [("out", "Assign", ref(reference))]),
        start="Read",
    )
    return outputs_of(xml, inputs, **context_kwargs)["out"]


# ------------------------------------------------------------------------------------------ formulas


def test_formula_resource_is_evaluated_when_referenced() -> None:
    extra = variable("price", "Number", input=True) + formula("WithTax", "Number", "{!price} * 1.2", scale=2)
    assert read("WithTax", "Number", extra, {"price": 10}) == Decimal("12.00")


def test_formula_is_reevaluated_at_each_reference() -> None:
    xml = flow_xml(
        variable("n", "Number", output=True, default="<numberValue>1</numberValue>")
        + variable("first", "Number", output=True)
        + variable("second", "Number", output=True)
        + formula("Double", "Number", "{!n} * 2")
        + assignment(
            "Steps",
            [
                ("first", "Assign", ref("Double")),
                ("n", "Assign", "<numberValue>5</numberValue>"),
                ("second", "Assign", ref("Double")),
            ],
        ),
        start="Steps",
    )
    out = outputs_of(xml)
    assert (out["first"], out["second"]) == (Decimal(2), Decimal(10))


def test_text_formula_with_functions() -> None:
    extra = variable("name", input=True) + formula("Shout", "String", "UPPER({!name}) &amp; &quot;!&quot;")
    assert read("Shout", extra=extra, inputs={"name": "hi"}) == "HI!"


def test_formula_reads_a_null_record_field_as_null() -> None:
    extra = variable("acct", "SObject", input=True, object_type="Account") + formula(
        "Label", "String", "BLANKVALUE({!acct.Name}, &quot;none&quot;)"
    )
    assert read("Label", extra=extra) == "none"


def test_formula_runtime_error_faults_the_referencing_element() -> None:
    extra = variable("d", "Number", input=True) + formula("Ratio", "Number", "10 / {!d}")
    xml = flow_xml(
        variable("out", "Number", output=True) + extra + assignment("Divide", [("out", "Assign", ref("Ratio"))]),
        start="Divide",
    )
    result = run_one(xml, {"d": 0})
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.element == "Divide"
    assert result.failure.element_type == "FlowAssignment"
    assert result.failure.message.startswith("The formula Ratio could not be evaluated")


def test_formula_runtime_error_only_fails_the_interview_that_hit_it() -> None:
    extra = variable("d", "Number", input=True) + formula("Ratio", "Number", "10 / {!d}")
    xml = flow_xml(
        variable("out", "Number", output=True) + extra + assignment("Divide", [("out", "Assign", ref("Ratio"))]),
        start="Divide",
    )
    batch = run_flow(xml, [{"d": 2}, {"d": 0}])
    assert batch.results[0].outputs == {"out": Decimal(5)}
    assert batch.results[1].status is ERROR


def test_inline_formula_expression_value() -> None:
    xml = flow_xml(
        variable("n", "Number", input=True)
        + variable("out", "Number", output=True)
        + assignment("Calc", [("out", "Assign", "<formulaExpression>{!n} + 1</formulaExpression>")]),
        start="Calc",
    )
    assert outputs_of(xml, {"n": 41}) == {"out": Decimal(42)}


# ------------------------------------------------------------------------------------------ templates


def test_text_template_merges_current_values() -> None:
    extra = variable("name", input=True) + template("Greeting", "Hello {!name}, welcome!")
    assert read("Greeting", extra=extra, inputs={"name": "Ada"}) == "Hello Ada, welcome!"


def test_text_template_merges_null_as_empty() -> None:
    extra = variable("name", input=True) + template("Greeting", "Hello {!name}!")
    assert read("Greeting", extra=extra) == "Hello !"


def test_text_template_formats_numbers_and_dates() -> None:
    extra = variable("n", "Number", input=True) + variable("d", "Date", input=True) + template("Line", "{!n} on {!d}")
    assert read("Line", extra=extra, inputs={"n": "3.0", "d": "2024-02-01"}) == "3 on 2024-02-01"


def test_string_value_with_merge_fields_is_resolved() -> None:
    xml = flow_xml(
        variable("name", input=True)
        + variable("out", output=True)
        + assignment("Say", [("out", "Assign", text("Dear {!name}"))]),
        start="Say",
    )
    assert outputs_of(xml, {"name": "Bob"}) == {"out": "Dear Bob"}


def test_template_sees_values_assigned_earlier_in_the_same_element() -> None:
    xml = flow_xml(
        variable("name")
        + variable("out", output=True)
        + template("T", "[{!name}]")
        + assignment("Steps", [("name", "Assign", text("late")), ("out", "Assign", ref("T"))]),
        start="Steps",
    )
    assert outputs_of(xml) == {"out": "[late]"}


# ------------------------------------------------------------------------------------------ constants


def test_constant_is_readable() -> None:
    extra = (
        "<constants><name>Rate</name><dataType>Number</dataType><value><numberValue>0.25</numberValue>"
        "</value></constants>"
    )
    assert read("Rate", "Number", extra) == Decimal("0.25")


# ------------------------------------------------------------------------------------------ globals


def test_flow_current_date_uses_the_context_clock() -> None:
    assert read("$Flow.CurrentDate", "Date") == dt.date(2024, 1, 31)


def test_flow_current_datetime_uses_the_context_clock() -> None:
    assert read("$Flow.CurrentDateTime", "DateTime") == dt.datetime(2024, 1, 31, 9, 15, tzinfo=dt.UTC)


def test_flow_interview_start_time() -> None:
    assert read("$Flow.InterviewStartTime", "DateTime") == dt.datetime(2024, 1, 31, 9, 15, tzinfo=dt.UTC)


def test_interview_guid_has_the_salesforce_format() -> None:
    guid = read("$Flow.InterviewGuid")
    assert isinstance(guid, str)
    assert re.fullmatch(r"[0-9a-f]{38}-[0-9a-f]{4}", guid)


def test_interview_guid_matches_the_result_guid() -> None:
    xml = flow_xml(
        variable("out", output=True) + assignment("Read", [("out", "Assign", ref("$Flow.InterviewGuid"))]),
        start="Read",
    )
    result = run_one(xml)
    assert result.outputs == {"out": result.guid}


def test_each_interview_gets_its_own_guid() -> None:
    xml = flow_xml(
        variable("out", output=True) + assignment("Read", [("out", "Assign", ref("$Flow.InterviewGuid"))]),
        start="Read",
    )
    batch = run_flow(xml, [{}, {}])
    assert batch.results[0].guid != batch.results[1].guid


def test_global_constant_empty_string_is_not_null() -> None:
    assert read("$GlobalConstant.EmptyString") == ""


def test_global_constant_false() -> None:
    assert read("$GlobalConstant.False", "Boolean") is False


def test_user_id_is_the_running_user() -> None:
    assert read("$User.Id") == default_user()["Id"]


def test_user_fields_come_from_the_context() -> None:
    user = Record("User", {"Id": "005000000000009AAA", "Email": "kim@example.com"})
    assert read("$User.Email", user=user) == "kim@example.com"


def test_organization_name() -> None:
    organization = Record("Organization", {"Id": "00D000000000002AAA", "Name": "Acme Org"})
    assert read("$Organization.Name", organization=organization) == "Acme Org"


def test_system_origin_datetime() -> None:
    assert read("$System.OriginDateTime", "DateTime") == dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


def test_label_from_the_context() -> None:
    assert read("$Label.Welcome", labels={"Welcome": "Hi there"}) == "Hi there"


def test_global_in_a_formula() -> None:
    extra = formula("Tomorrow", "Date", "{!$Flow.CurrentDate} + 1")
    assert read("Tomorrow", "Date", extra) == dt.date(2024, 2, 1)


def test_unknown_global_reads_as_null_in_a_formula() -> None:
    extra = formula("Setting", "String", "BLANKVALUE({!$Setup.Missing__c.Field__c}, &quot;unset&quot;)")
    assert read("Setting", extra=extra) == "unset"


# ------------------------------------------------------------------------------------------ reference errors


def test_reading_a_field_of_a_null_record_faults_the_element() -> None:
    xml = flow_xml(
        variable("acct", "SObject", input=True, object_type="Account")
        + variable("out", output=True)
        + assignment("Read", [("out", "Assign", ref("acct.Name"))]),
        start="Read",
    )
    result = run_one(xml)
    assert result.status is ERROR
    assert result.failure is not None
    assert (result.failure.element, result.failure.element_type) == ("Read", "FlowAssignment")
    assert result.failure.message == (
        "The flow failed to access the value for acct.Name because it hasn't been set or assigned."
    )


def test_reading_a_field_missing_from_a_record_faults() -> None:
    xml = flow_xml(
        variable("acct", "SObject", input=True, object_type="Account")
        + variable("out", output=True)
        + assignment("Read", [("out", "Assign", ref("acct.Phone"))]),
        start="Read",
    )
    result = run_one(xml, {"acct": {"Name": "Acme"}})
    assert result.failure is not None
    assert result.failure.message == (
        "The flow failed to access the value for acct.Phone because it hasn't been set or assigned."
    )


def test_reading_a_null_field_value_is_fine() -> None:
    xml = flow_xml(
        variable("acct", "SObject", input=True, object_type="Account")
        + variable("out", output=True)
        + assignment("Read", [("out", "Assign", ref("acct.Phone"))]),
        start="Read",
    )
    assert outputs_of(xml, {"acct": {"Phone": None}}) == {"out": None}


def test_cross_object_field_reference() -> None:
    xml = flow_xml(
        variable("con", "SObject", input=True, object_type="Contact")
        + variable("out", output=True)
        + assignment("Read", [("out", "Assign", ref("con.Account.Name"))]),
        start="Read",
    )
    assert outputs_of(xml, {"con": {"Account": {"Name": "Acme"}}}) == {"out": "Acme"}


def test_merge_field_of_a_null_record_is_empty_not_a_fault() -> None:
    xml = flow_xml(
        variable("acct", "SObject", input=True, object_type="Account")
        + variable("out", output=True)
        + assignment("Say", [("out", "Assign", text("Name: {!acct.Name}"))]),
        start="Say",
    )
    assert outputs_of(xml) == {"out": "Name: "}


def test_references_are_case_insensitive() -> None:
    xml = flow_xml(
        variable("Amount", "Number", input=True)
        + variable("out", "Number", output=True)
        + assignment("Read", [("OUT", "Assign", ref("amount"))]),
        start="Read",
    )
    assert outputs_of(xml, {"Amount": 5}) == {"out": Decimal(5)}


def test_start_element_reference_legacy_start() -> None:
    xml = flow_xml(
        variable("out", output=True)
        + "<startElementReference>Go</startElementReference>"
        + assignment("Go", [("out", "Assign", text("legacy"))])
    )
    assert outputs_of(xml) == {"out": "legacy"}


def test_legacy_step_element_passes_through() -> None:
    xml = flow_xml(
        variable("out", output=True) + f"<steps><name>Placeholder</name><label>Placeholder</label>{LOC}"
        f"<connectors><targetReference>Go</targetReference></connectors></steps>"
        + assignment("Go", [("out", "Assign", text("after step"))]),
        start="Placeholder",
    )
    result = run_one(xml)
    assert result.outputs == {"out": "after step"}
    assert [e.element for e in result.trace or []] == ["Placeholder", "Go"]


def test_flow_without_a_start_finishes_immediately() -> None:
    result = run_one(flow_xml(variable("out", output=True) + assignment("Orphan", [("out", "Assign", text("x"))])))
    assert result.outputs == {"out": None}
    assert result.trace == []


def test_global_records_are_read_only() -> None:
    xml = flow_xml(
        variable("name", output=True)
        + assignment("Rename", [("$Organization.Name", "Assign", "<stringValue>Hacked</stringValue>")], "Read")
        + assignment("Read", [("name", "Assign", "<elementReference>$Organization.Name</elementReference>")]),
        start="Rename",
    )
    first = run_one(xml)
    assert first.status is ERROR
    assert first.failure is not None
    assert (first.failure.element, first.failure.message) == (
        "Rename", "$Organization.Name is a read-only global variable and can't be assigned.")
    assert run_one(xml.replace("<targetReference>Rename", "<targetReference>Read")).outputs == {"name": "flowforce"}
