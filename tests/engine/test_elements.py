"""Custom Error, Transform, Roll Back Records, Wait, screens and record elements without a store."""

from __future__ import annotations

import datetime as dt

import pytest

from flowforce.records.record import Record

from .flowkit import (
    ERROR,
    FINISHED,
    LOC,
    WAITING,
    assignment,
    connector,
    flow_xml,
    outputs_of,
    path_of,
    run_flow,
    run_one,
    variable,
)


def ref(name: str) -> str:
    return f"<elementReference>{name}</elementReference>"


def text(value: str) -> str:
    return f"<stringValue>{value}</stringValue>"


# ------------------------------------------------------------------------------------------ Custom Error


def custom_error_flow() -> str:
    return flow_xml(
        variable("amount", "Number", input=True)
        + variable("after", output=True)
        + f"<customErrors><name>Too_Big</name><label>Too Big</label>{LOC}"
        "<customErrorMessages><errorMessage>Amount {!amount} is over the limit.</errorMessage>"
        "<isFieldError>false</isFieldError></customErrorMessages>"
        f"{connector('After')}</customErrors>" + assignment("After", [("after", "Assign", text("ran"))]),
        start="Too_Big",
    )


def test_custom_error_fails_the_interview_with_its_message() -> None:
    result = run_one(custom_error_flow(), {"amount": 5000})
    assert result.status is ERROR
    assert result.outputs is None
    assert result.failure is not None
    assert result.failure.message == "Amount 5000 is over the limit."
    assert (result.failure.element, result.failure.element_type) == ("Too_Big", "FlowCustomError")


def test_custom_error_path_continues_before_the_interview_fails() -> None:
    result = run_one(custom_error_flow(), {"amount": 1})
    assert path_of(result) == ["Too_Big", "After"]


def test_custom_error_is_kept_when_the_context_does_not_fail_on_it() -> None:
    result = run_one(custom_error_flow(), {"amount": 1}, fail_on_custom_error=False)
    assert result.status is FINISHED
    assert result.outputs == {"after": "ran"}
    assert result.trace is not None
    assert result.trace[0].detail == "Amount 1 is over the limit."


def test_custom_error_fails_only_its_interview() -> None:
    xml = flow_xml(
        variable("amount", "Number", input=True)
        + variable("ok", output=True)
        + "<decisions><name>Check</name><label>Check</label>"
        + LOC
        + "<defaultConnector><targetReference>Fine</targetReference></defaultConnector>"
        "<rules><name>Big</name><conditionLogic>and</conditionLogic><conditions>"
        "<leftValueReference>amount</leftValueReference><operator>GreaterThan</operator>"
        "<rightValue><numberValue>100</numberValue></rightValue></conditions>"
        "<connector><targetReference>Reject</targetReference></connector><label>Big</label></rules></decisions>"
        + f"<customErrors><name>Reject</name><label>Reject</label>{LOC}"
        "<customErrorMessages><errorMessage>Too big</errorMessage><isFieldError>false</isFieldError>"
        "</customErrorMessages></customErrors>" + assignment("Fine", [("ok", "Assign", text("yes"))]),
        start="Check",
    )
    batch = run_flow(xml, [{"amount": 1}, {"amount": 500}])
    assert [r.status for r in batch.results] == [FINISHED, ERROR]
    assert batch.results[0].outputs == {"ok": "yes"}


# ------------------------------------------------------------------------------------------ Transform


def ocr_transform_flow() -> str:
    """The corpus OCR_Flow's Transform, fed from an Opportunity input instead of $Record."""
    return flow_xml(
        variable("opp", "SObject", input=True, object_type="Opportunity")
        + variable("role", "SObject", output=True, object_type="OpportunityContactRole")
        + f"<transforms><name>OCR_Mapping</name><label>OCR Mapping</label>{LOC}"
        "<dataType>SObject</dataType><isCollection>false</isCollection>"
        "<objectType>OpportunityContactRole</objectType><scale>0</scale><transformValues>"
        "<transformValueActions><outputFieldApiName>OpportunityId</outputFieldApiName>"
        "<transformType>Map</transformType><value><elementReference>opp.Id</elementReference></value>"
        "</transformValueActions>"
        "<transformValueActions><outputFieldApiName>ContactId</outputFieldApiName>"
        "<transformType>Map</transformType><value><elementReference>opp.ContactId</elementReference></value>"
        "</transformValueActions>"
        "<transformValueActions><outputFieldApiName>Role</outputFieldApiName><transformType>Map</transformType>"
        "<value><stringValue>Decision Maker</stringValue></value></transformValueActions>"
        f"</transformValues>{connector('Keep')}</transforms>"
        + assignment("Keep", [("role", "Assign", ref("OCR_Mapping"))]),
        start="OCR_Mapping",
    )


def test_transform_maps_values_into_a_new_record() -> None:
    role = outputs_of(ocr_transform_flow(), {"opp": {"Id": "006000000000001AAA", "ContactId": "003000000000001AAA"}})[
        "role"
    ]
    assert isinstance(role, Record)
    assert role.sobject_type == "OpportunityContactRole"
    assert dict(role) == {
        "OpportunityId": "006000000000001AAA",
        "ContactId": "003000000000001AAA",
        "Role": "Decision Maker",
    }


def test_transform_reading_a_field_of_a_null_record_faults() -> None:
    result = run_one(ocr_transform_flow())
    assert result.status is ERROR
    assert result.failure is not None
    assert (result.failure.element, result.failure.element_type) == ("OCR_Mapping", "FlowTransform")
    assert result.failure.message == (
        "The flow failed to access the value for opp.Id because it hasn't been set or assigned."
    )


# ------------------------------------------------------------------------------------------ Roll Back Records


class RollbackGateway:
    """The parts of the `RecordGateway` port a flow with only Roll Back Records reaches."""

    def __init__(self) -> None:
        self.rollbacks = 0
        self.savepoints = 0

    def savepoint(self) -> RollbackGateway:
        self.savepoints += 1
        return self

    def release(self) -> None:
        pass

    def rollback_pending_changes(self) -> None:
        self.rollbacks += 1


def rollback_flow() -> str:
    return flow_xml(
        variable("after", output=True)
        + f"<recordRollbacks><name>Undo</name><label>Undo</label>{LOC}{connector('After')}</recordRollbacks>"
        + assignment("After", [("after", "Assign", text("continued"))]),
        start="Undo",
    )


def test_roll_back_records_calls_the_gateway() -> None:
    gateway = RollbackGateway()
    result = run_one(rollback_flow(), records=gateway)
    assert gateway.rollbacks == 1
    assert result.outputs == {"after": "continued"}


def test_roll_back_records_without_a_store_just_continues() -> None:
    result = run_one(rollback_flow())
    assert result.status is FINISHED
    assert path_of(result) == ["Undo", "After"]


# ------------------------------------------------------------------------------------------ Wait


def wait_flow(offset: str = "3", unit: str = "Days", base: str = "$Flow.CurrentDateTime") -> str:
    return flow_xml(
        variable("stage", output=True, default=text("before"))
        + f"<waits><name>Pause</name><label>Pause</label>{LOC}<defaultConnectorLabel>Default Path"
        "</defaultConnectorLabel><waitEvents><name>Later</name><label>Later</label>"
        "<conditionLogic>and</conditionLogic>"
        f"{connector('Resume')}<eventType>AlarmEvent</eventType>"
        f"<inputParameters><name>AlarmTime</name><value>{ref(base)}</value></inputParameters>"
        f"<inputParameters><name>TimeOffset</name><value><numberValue>{offset}</numberValue></value>"
        "</inputParameters>"
        f"<inputParameters><name>TimeOffsetUnit</name><value>{text(unit)}</value></inputParameters>"
        "</waitEvents></waits>" + assignment("Resume", [("stage", "Assign", text("after"))]),
        start="Pause",
    )


def test_wait_pauses_the_interview() -> None:
    result = run_one(wait_flow())
    assert result.status is WAITING
    assert result.success
    assert result.outputs == {"stage": "before"}


def test_wait_reports_the_alarm_resume_time() -> None:
    result = run_one(wait_flow())
    assert result.wait == {
        "element": "Pause",
        "events": [{"name": "Later", "eventType": "AlarmEvent", "resumeAt": "2024-02-03T09:15:00+00:00"}],
    }


@pytest.mark.parametrize(
    ("offset", "unit", "expected"),
    [
        ("2", "Hours", dt.datetime(2024, 1, 31, 11, 15, tzinfo=dt.UTC)),
        ("-1", "Days", dt.datetime(2024, 1, 30, 9, 15, tzinfo=dt.UTC)),
    ],
)
def test_wait_offset_units(offset: str, unit: str, expected: dt.datetime) -> None:
    result = run_one(wait_flow(offset, unit))
    assert result.wait is not None
    assert result.wait["events"][0]["resumeAt"] == expected.isoformat()


def test_wait_alarm_from_the_system_origin() -> None:
    result = run_one(wait_flow("1", "Days", base="$System.OriginDateTime"))
    assert result.wait is not None
    assert result.wait["events"][0]["resumeAt"] == "1900-01-02T00:00:00+00:00"


# ------------------------------------------------------------------------------------------ screens


def test_screen_element_cannot_run_headless() -> None:
    xml = flow_xml(
        f"<screens><name>Welcome</name><label>Welcome</label>{LOC}<allowBack>true</allowBack></screens>",
        start="Welcome",
        process_type="Flow",
    )
    result = run_one(xml)
    assert result.status is ERROR
    assert result.failure is not None
    assert (result.failure.element, result.failure.element_type) == ("Welcome", "FlowScreen")
    assert "can't run headless" in result.failure.message


def test_screen_flow_runs_its_elements_before_the_screen() -> None:
    xml = flow_xml(
        variable("x", output=True)
        + assignment("Prepare", [("x", "Assign", text("ready"))], next_="Welcome")
        + f"<screens><name>Welcome</name><label>Welcome</label>{LOC}</screens>",
        start="Prepare",
        process_type="Flow",
    )
    result = run_one(xml)
    assert path_of(result) == ["Prepare", "Welcome"]
    assert result.status is ERROR


# ------------------------------------------------------------------------------------------ records, no store


LOOKUP = (
    f"<recordLookups><name>Get_Account</name><label>Get Account</label>{LOC}"
    "<object>Account</object><getFirstRecordOnly>true</getFirstRecordOnly>"
    "<storeOutputAutomatically>true</storeOutputAutomatically>{fault}</recordLookups>"
)


@pytest.mark.parametrize(
    ("tag", "verb", "body"),
    [
        ("recordLookups", "look up", "<object>Account</object>"),
        ("recordCreates", "create", "<object>Account</object>"),
        ("recordUpdates", "update", "<inputReference>acct</inputReference>"),
        ("recordDeletes", "delete", "<inputReference>acct</inputReference>"),
    ],
)
def test_record_element_without_a_store_faults(tag: str, verb: str, body: str) -> None:
    xml = flow_xml(
        variable("acct", "SObject", object_type="Account")
        + f"<{tag}><name>Data</name><label>Data</label>{LOC}{body}</{tag}>",
        start="Data",
    )
    result = run_one(xml)
    assert result.status is ERROR
    assert result.failure is not None
    assert result.failure.element == "Data"
    assert result.failure.message == (
        f"This error occurred when the flow tried to {verb} records: no record store is attached to this run."
    )


def test_record_element_without_a_store_follows_its_fault_connector() -> None:
    xml = flow_xml(
        variable("error", output=True)
        + LOOKUP.format(fault=connector("Handle", "faultConnector"))
        + assignment("Handle", [("error", "Assign", ref("$Flow.FaultMessage"))]),
        start="Get_Account",
    )
    assert outputs_of(xml) == {
        "error": "This error occurred when the flow tried to look up records: no record store is attached to this run."
    }
