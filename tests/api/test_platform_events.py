"""Platform events of the project (`Order_Shipped__e`): publishing over REST or from a flow's Create Records runs
the PlatformEvent-triggered flow after the publishing transaction commits, with `$Record` the event."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Api, make_settings, open_api

EVENT = """<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <deploymentStatus>Deployed</deploymentStatus><eventType>HighVolume</eventType>
    <label>Order Shipped</label><pluralLabel>Orders Shipped</pluralLabel>
    <publishBehavior>PublishAfterCommit</publishBehavior>
</CustomObject>
"""
ORDER_NUMBER = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Order_Number__c</fullName><label>Order Number</label><type>Text</type><length>20</length>
</CustomField>
"""
ON_SHIPPED = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>On Order Shipped</label><processType>AutoLaunchedFlow</processType><status>Active</status>
    <start><connector><targetReference>Create_Task</targetReference></connector>
        <object>Order_Shipped__e</object><triggerType>PlatformEvent</triggerType></start>
    <recordCreates><name>Create_Task</name><label>Create Task</label>
        <inputAssignments><field>Subject</field><value><stringValue>Shipped {!$Record.Order_Number__c}</stringValue>
        </value></inputAssignments>
        <object>Task</object><storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>
</Flow>
"""
SHIP = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Ship Order</label><processType>AutoLaunchedFlow</processType><status>Active</status>
    <start><connector><targetReference>Publish</targetReference></connector></start>
    <variables><name>OrderNumber</name><dataType>String</dataType><isCollection>false</isCollection>
        <isInput>true</isInput><isOutput>false</isOutput></variables>
    <recordCreates><name>Publish</name><label>Publish</label>
        <inputAssignments><field>Order_Number__c</field><value><elementReference>OrderNumber</elementReference>
        </value></inputAssignments>
        <object>Order_Shipped__e</object><storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>
</Flow>
"""

# Invoked over REST: pauses until the order's shipment event arrives, then creates a task.
AWAIT_SHIPMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Await Shipment</label><processType>AutoLaunchedFlow</processType><status>Active</status>
    <start><connector><targetReference>Until_Shipped</targetReference></connector></start>
    <variables><name>OrderNumber</name><dataType>String</dataType><isCollection>false</isCollection>
        <isInput>true</isInput><isOutput>false</isOutput></variables>
    <variables><name>Shipment</name><dataType>SObject</dataType><isCollection>false</isCollection>
        <isInput>false</isInput><isOutput>false</isOutput><objectType>Order_Shipped__e</objectType></variables>
    <waits><name>Until_Shipped</name><label>Until Shipped</label>
        <defaultConnectorLabel>Default</defaultConnectorLabel>
        <waitEvents><name>Shipped</name><label>Shipped</label>
            <conditionLogic>and</conditionLogic>
            <conditions><leftValueReference>Order_Number__c</leftValueReference><operator>EqualTo</operator>
                <rightValue><elementReference>OrderNumber</elementReference></rightValue></conditions>
            <connector><targetReference>Create_Resumed_Task</targetReference></connector>
            <eventType>Order_Shipped__e</eventType>
            <outputParameters><assignToReference>Shipment</assignToReference><name>Order_Shipped__e</name>
            </outputParameters>
        </waitEvents></waits>
    <recordCreates><name>Create_Resumed_Task</name><label>Create Resumed Task</label>
        <inputAssignments><field>Subject</field>
        <value><stringValue>Resumed {!OrderNumber} by {!Shipment.Order_Number__c}</stringValue></value>
        </inputAssignments>
        <object>Task</object><storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>
</Flow>
"""


@pytest.fixture(scope="module")
def event_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("events") / "project"
    default = root / "force-app" / "main" / "default"
    (default / "flows").mkdir(parents=True)
    (default / "objects" / "Order_Shipped__e" / "fields").mkdir(parents=True)
    (default / "objects" / "Order_Shipped__e" / "Order_Shipped__e.object-meta.xml").write_text(EVENT)
    (default / "objects" / "Order_Shipped__e" / "fields" / "Order_Number__c.field-meta.xml").write_text(ORDER_NUMBER)
    (default / "flows" / "On_Order_Shipped.flow-meta.xml").write_text(ON_SHIPPED)
    (default / "flows" / "Ship_Order.flow-meta.xml").write_text(SHIP)
    (default / "flows" / "Await_Shipment.flow-meta.xml").write_text(AWAIT_SHIPMENT)
    (root / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app", "default": true}]}')
    return root


@pytest.fixture
def events_api(event_project: Path, db_url: str) -> Iterator[Api]:
    yield from open_api(make_settings(event_project, db_url, clock="2026-03-02T09:00:00Z"))


def subjects(api: Api) -> list[str]:
    return [row["Subject"] for row in api.soql("SELECT Subject FROM Task ORDER BY Subject")]


def test_publishing_over_rest_runs_the_event_flow_after_commit(events_api: Api) -> None:
    response = events_api.post("sobjects/Order_Shipped__e", json={"Order_Number__c": "A-100"})
    assert response.status_code == 201, response.text
    assert subjects(events_api) == []  # not in the publishing transaction
    ran = events_api.post("/_flowforce/clock", json={"advance_seconds": 0}).json()["jobsRun"]
    assert ran == 2 and subjects(events_api) == ["Shipped A-100"]  # the event's flow; the look at paused waits


def test_a_flow_publishing_the_event_triggers_the_event_flow(events_api: Api) -> None:
    response = events_api.post("actions/custom/flow/Ship_Order",
                               json={"inputs": [{"OrderNumber": "B-1"}, {"OrderNumber": "B-2"}]})
    assert response.status_code == 200, response.text
    events_api.post("/_flowforce/clock", json={"advance_seconds": 0})
    assert subjects(events_api) == ["Shipped B-1", "Shipped B-2"]


def test_an_event_is_never_updated_or_deleted(events_api: Api) -> None:
    event = events_api.create("Order_Shipped__e", Order_Number__c="C-1")
    assert events_api.patch(f"sobjects/Order_Shipped__e/{event}", json={"Order_Number__c": "x"}).status_code == 405
    assert events_api.delete(f"sobjects/Order_Shipped__e/{event}").status_code == 405


def test_a_wait_resumes_when_its_platform_event_arrives_with_matching_values(events_api: Api) -> None:
    response = events_api.post("actions/custom/flow/Await_Shipment",
                               json={"inputs": [{"OrderNumber": "W-1"}, {"OrderNumber": "W-2"}]})
    assert response.status_code == 200, response.text
    assert [item["outputValues"]["Flow__InterviewStatus"] for item in response.json()] == ["Waiting", "Waiting"]
    events_api.create("Order_Shipped__e", Order_Number__c="W-2")
    events_api.post("/_flowforce/clock", json={"advance_seconds": 0})
    assert "Resumed W-2 by W-2" in subjects(events_api) and not any("W-1" in s for s in subjects(events_api))
    paused = events_api.soql("SELECT Id FROM FlowInterview WHERE InterviewStatus = 'Paused'")
    assert len(paused) == 1  # W-1 still waits for its own shipment
    events_api.create("Order_Shipped__e", Order_Number__c="W-2")  # resumes nothing twice
    events_api.post("/_flowforce/clock", json={"advance_seconds": 0})
    assert sum("Resumed" in s for s in subjects(events_api)) == 1
