"""Record-triggered, scheduled-path and schedule-triggered flows of the bundled example, over HTTP, on SQLite and
PostgreSQL: Opportunity_Next_Step (before-save), Opportunity_Follow_Up (after-save + a path three days later),
Opportunity_Delete_Guard (before-delete Custom Error), Escalate_Urgent_Cases (daily at 06:00 UTC).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flowforce.records.data_io import import_tree
from flowforce.settings import BUNDLED_EXAMPLE

from .conftest import Api, make_settings, open_api

START = "2026-03-02T09:00:00Z"
FLOWS = Path("force-app") / "main" / "default" / "flows"

# After-save on Lead: creates a Contact without its required LastName, so the flow faults.
LEAD_FAULT = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Lead Contact</label>
    <processType>AutoLaunchedFlow</processType>
    <status>Active</status>
    <start>
        <connector><targetReference>Create_Contact</targetReference></connector>
        <filterLogic>and</filterLogic>
        <filters><field>Company</field><operator>EqualTo</operator><value><stringValue>Broken</stringValue></value>
        </filters>
        <object>Lead</object>
        <recordTriggerType>Create</recordTriggerType>
        <triggerType>RecordAfterSave</triggerType>
    </start>
    <recordCreates>
        <name>Create_Contact</name>
        <label>Create Contact</label>
        <inputAssignments><field>FirstName</field><value><elementReference>$Record.FirstName</elementReference>
        </value></inputAssignments>
        <object>Contact</object>
        <storeOutputAutomatically>true</storeOutputAutomatically>
    </recordCreates>
</Flow>
"""

# Autolaunched, invoked over REST: its own Create Records fires the Opportunity triggers.
OPEN_OPPORTUNITY = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Open Opportunity</label>
    <processType>AutoLaunchedFlow</processType>
    <status>Active</status>
    <start><connector><targetReference>Create_Opportunity</targetReference></connector></start>
    <variables><name>Name</name><dataType>String</dataType><isCollection>false</isCollection>
        <isInput>true</isInput><isOutput>false</isOutput></variables>
    <recordCreates>
        <name>Create_Opportunity</name>
        <label>Create Opportunity</label>
        <inputAssignments><field>Name</field><value><elementReference>Name</elementReference></value>
        </inputAssignments>
        <inputAssignments><field>StageName</field><value><stringValue>Prospecting</stringValue></value>
        </inputAssignments>
        <inputAssignments><field>CloseDate</field><value><dateValue>2026-06-30</dateValue></value>
        </inputAssignments>
        <object>Opportunity</object>
        <storeOutputAutomatically>true</storeOutputAutomatically>
    </recordCreates>
</Flow>
"""


@pytest.fixture(scope="module")
def trigger_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("triggers") / "project"
    shutil.copytree(BUNDLED_EXAMPLE, target)
    (target / FLOWS / "Lead_Contact.flow-meta.xml").write_text(LEAD_FAULT)
    (target / FLOWS / "Open_Opportunity.flow-meta.xml").write_text(OPEN_OPPORTUNITY)
    return target


@pytest.fixture
def org_api(trigger_project: Path, db_url: str) -> Iterator[Api]:
    yield from open_api(make_settings(trigger_project, db_url, clock=START))


def opportunity(name: str, **fields: Any) -> dict[str, Any]:
    return {"Name": name, "StageName": "Prospecting", "CloseDate": "2026-06-30", **fields}


def tasks(api: Api) -> list[tuple[str, str]]:
    return [(row["Subject"], row["WhatId"]) for row in api.soql("SELECT Subject, WhatId FROM Task ORDER BY Subject")]


# --- before-save --------------------------------------------------------------------------------------------


def test_before_save_sets_fields_on_create_and_on_update(org_api: Api) -> None:
    big = org_api.create("Opportunity", **opportunity("Big", Amount=250000))
    small = org_api.create("Opportunity", **opportunity("Small", Amount=10, NextStep="Send a quote"))
    fields = "fields=Name,NextStep,Description"
    assert {k: v for k, v in org_api.get(f"sobjects/Opportunity/{big}?{fields}").json().items()
            if k != "attributes"} == {"Name": "Big", "NextStep": "Schedule a discovery call",
                                      "Description": "Big deal: needs a director's review.", "Id": big}
    assert org_api.get(f"sobjects/Opportunity/{small}?{fields}").json()["NextStep"] == "Send a quote"  # no entry

    response = org_api.patch(f"sobjects/Opportunity/{small}", json={"Amount": 120000})  # ISCHANGED(Amount)
    assert response.status_code == 204, response.text
    record = org_api.get(f"sobjects/Opportunity/{small}?{fields}").json()
    assert (record["NextStep"], record["Description"]) == ("Review the new amount: 120000.00",
                                                            "Big deal: needs a director's review.")
    org_api.patch(f"sobjects/Opportunity/{small}", json={"Name": "Renamed"})  # Amount unchanged, NextStep set
    assert org_api.get(f"sobjects/Opportunity/{small}?{fields}").json()["NextStep"] == \
        "Review the new amount: 120000.00"


# --- after-save and paths -----------------------------------------------------------------------------------


def test_after_save_creates_a_task_and_its_scheduled_path_runs_when_the_clock_passes_it(org_api: Api) -> None:
    won = org_api.create("Opportunity", **opportunity("Won", StageName="Closed Won"))
    open_ = org_api.create("Opportunity", **opportunity("Open"))
    assert tasks(org_api) == [("Follow up: Open", open_), ("Follow up: Won", won)]

    org_api.post("/_flowforce/clock", json={"advance_seconds": 3 * 86400 - 60})
    assert len(tasks(org_api)) == 2  # not due yet
    moved = org_api.post("/_flowforce/clock", json={"advance_seconds": 120})
    assert moved.json()["jobsRun"] == 2  # both paths (of one flow version and user: one batch of two jobs)
    assert tasks(org_api) == [("Check in: Open", open_), ("Follow up: Open", open_), ("Follow up: Won", won)]


def test_a_failed_save_queues_no_path_and_creates_nothing(org_api: Api) -> None:
    response = org_api.post("sobjects/Opportunity", json=opportunity("No date", CloseDate=None))
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert tasks(org_api) == []
    assert org_api.post("/_flowforce/clock", json={"advance_seconds": 4 * 86400}).status_code == 200
    assert tasks(org_api) == []


def test_a_fault_in_an_after_save_flow_fails_the_save_with_cannot_execute_flow_trigger(org_api: Api) -> None:
    response = org_api.post("sobjects/Lead", json={"LastName": "Lee", "FirstName": "Ann", "Company": "Broken"})
    assert response.status_code == 400
    assert response.json() == [{
        "message": "We can't save this record because the “Lead Contact” process failed. Give your Salesforce "
                   "admin these details. Error element Create_Contact (FlowRecordCreate). This error occurred when "
                   "the flow tried to create records: REQUIRED_FIELD_MISSING: Required fields are missing: "
                   "[LastName]. You can look up ExceptionCode values in the SOAP API Developer Guide.",
        "errorCode": "CANNOT_EXECUTE_FLOW_TRIGGER",
    }]
    assert org_api.soql("SELECT Id FROM Lead") == [] and org_api.soql("SELECT Id FROM Contact") == []
    assert org_api.post("sobjects/Lead", json={"LastName": "Lee", "Company": "Fine"}).status_code == 201


# --- before-delete ------------------------------------------------------------------------------------------


def test_before_delete_custom_error_blocks_the_delete(org_api: Api) -> None:
    won = org_api.create("Opportunity", **opportunity("Acme deal", StageName="Closed Won"))
    response = org_api.delete(f"sobjects/Opportunity/{won}")
    assert response.status_code == 400
    assert response.json() == [{"message": "Acme deal is won: won opportunities can't be deleted.",
                                "errorCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION"}]
    assert org_api.get(f"sobjects/Opportunity/{won}").status_code == 200
    lost = org_api.create("Opportunity", **opportunity("Lost", StageName="Closed Lost"))
    assert org_api.delete(f"sobjects/Opportunity/{lost}").status_code == 204


def test_collection_delete_reports_the_blocked_record_and_deletes_the_other(org_api: Api) -> None:
    won = org_api.create("Opportunity", **opportunity("Won", StageName="Closed Won"))
    other = org_api.create("Opportunity", **opportunity("Other"))
    response = org_api.delete("composite/sobjects", params={"ids": f"{won},{other}", "allOrNone": "false"})
    assert response.status_code == 200
    assert response.json() == [
        {"success": False, "errors": [{"statusCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                                       "message": "Won is won: won opportunities can't be deleted.", "fields": []}]},
        {"id": other, "success": True, "errors": []},
    ]
    assert [row["Id"] for row in org_api.soql("SELECT Id FROM Opportunity")] == [won]


# --- bulk ---------------------------------------------------------------------------------------------------


def test_a_200_record_collection_fires_200_interviews_with_one_query_and_one_dml(org_api: Api,
                                                                                  monkeypatch: pytest.MonkeyPatch
                                                                                  ) -> None:
    opened: list[Any] = []
    transaction = org_api.org.transaction
    monkeypatch.setattr(org_api.org, "transaction", lambda *a, **k: opened.append(transaction(*a, **k)) or opened[-1])
    records = [{"attributes": {"type": "Opportunity"}, **opportunity(f"Deal {n:03}")} for n in range(200)]
    response = org_api.post("composite/sobjects", json={"allOrNone": True, "records": records})
    assert response.status_code == 200
    assert all(item["success"] for item in response.json())
    limits = opened[-1].limits
    # Get_Owner: one query for the 200 interviews; the inserts, then Create_Follow_Up_Task once for all.
    assert (limits.soql_queries, limits.dml_statements, limits.dml_rows) == (1, 2, 400)
    assert len(tasks(org_api)) == 200
    steps = {row["NextStep"] for row in org_api.soql("SELECT NextStep FROM Opportunity")}
    assert steps == {"Schedule a discovery call"}


# --- other DML paths ----------------------------------------------------------------------------------------


def test_a_flows_own_create_records_fires_the_triggers(org_api: Api) -> None:
    response = org_api.post("actions/custom/flow/Open_Opportunity", json={"inputs": [{"Name": "From a flow"}]})
    assert response.status_code == 200, response.text
    [row] = org_api.soql("SELECT Id, NextStep FROM Opportunity")
    assert row["NextStep"] == "Schedule a discovery call"
    assert tasks(org_api) == [("Follow up: From a flow", row["Id"])]


def test_data_import_fires_the_triggers(org_api: Api, tmp_path: Path) -> None:
    plan = tmp_path / "Opportunity.json"
    plan.write_text('{"records": [{"attributes": {"type": "Opportunity", "referenceId": "o1"}, "Name": "Imported",'
                    ' "StageName": "Prospecting", "CloseDate": "2026-06-30"}]}')
    import_tree(org_api.org.store, plan)
    assert [subject for subject, _ in tasks(org_api)] == ["Follow up: Imported"]


# --- schedule-triggered -------------------------------------------------------------------------------------


def test_the_daily_schedule_escalates_matching_cases_when_the_clock_reaches_it(org_api: Api) -> None:
    urgent = org_api.create("Case", Subject="Down", Priority="High")
    calm = org_api.create("Case", Subject="Slow", Priority="Low")
    moved = org_api.post("/_flowforce/clock", json={"now": "2026-03-03T05:59:00Z"})
    assert org_api.get(f"sobjects/Case/{urgent}").json()["Status"] == "New"
    moved = org_api.post("/_flowforce/clock", json={"now": "2026-03-03T06:00:00Z"})
    assert moved.json()["jobsRun"] == 2  # the occurrence, then its one batch
    assert [(row["Id"], row["Status"], row["IsEscalated"])
            for row in org_api.soql("SELECT Id, Status, IsEscalated FROM Case ORDER BY Subject")] == [
        (urgent, "Escalated", True), (calm, "New", False)]


def test_composite_subrequests_and_upsert_fire_the_triggers(org_api: Api) -> None:
    body = {"allOrNone": True, "compositeRequest": [
        {"method": "POST", "url": "/services/data/v66.0/sobjects/Opportunity", "referenceId": "deal",
         "body": opportunity("Composite")},
        {"method": "PATCH", "url": "/services/data/v66.0/sobjects/Opportunity/@{deal.id}", "referenceId": "edit",
         "body": {"Amount": 150000}},
    ]}
    response = org_api.post("composite", json=body)
    assert response.status_code == 200, response.text
    assert [item["httpStatusCode"] for item in response.json()["compositeResponse"]] == [201, 204]
    [row] = org_api.soql("SELECT Id, NextStep, Description FROM Opportunity")
    assert (row["NextStep"], row["Description"]) == ("Review the new amount: 150000.00",
                                                      "Big deal: needs a director's review.")
    assert tasks(org_api) == [("Follow up: Composite", row["Id"])]


def test_one_dml_of_450_records_runs_in_chunks_of_200(org_api: Api) -> None:
    tx = org_api.org.transaction()
    try:
        results = tx.insert("Opportunity", [opportunity(f"Bulk {n}") for n in range(450)])
        assert all(result.success for result in results)
        # Get_Owner once per chunk of 200 (3 chunks); the insert, then Create_Follow_Up_Task once per chunk.
        assert (tx.limits.soql_queries, tx.limits.dml_statements, tx.limits.dml_rows) == (3, 4, 900)
    finally:
        tx.rollback()
