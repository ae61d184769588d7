"""Salesforce's rules for record-triggered flows on hand-made flows: trigger order, "only when updated to meet
the conditions", IsChanged in entry conditions, per-record custom errors with partial saves, governor limits
shared with the DML that fired the flows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flowforce.records.limits import GovernorLimits
from flowforce.runtime import Org
from flowforce.settings import load_settings
from flowforce.soql import run_soql

from .conftest import CHEAP_AUTH


def flow(name: str, start: str, body: str, order: int | None = None) -> tuple[str, str]:
    ordered = f"<triggerOrder>{order}</triggerOrder>" if order is not None else ""
    return name, f"""<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>{name.replace("_", " ")}</label><processType>AutoLaunchedFlow</processType><status>Active</status>
    {ordered}<start>{start}</start>{body}
</Flow>"""


def append(text: str, element: str) -> str:
    return f"""<assignments><name>{element}</name><label>{element}</label>
        <assignmentItems><assignToReference>$Record.Description</assignToReference><operator>Add</operator>
        <value><stringValue>{text}</stringValue></value></assignmentItems></assignments>"""


BEFORE_SAVE_ACCOUNT = "<object>Account</object><recordTriggerType>CreateAndUpdate</recordTriggerType>" \
                      "<triggerType>RecordBeforeSave</triggerType>"
FLOWS = [
    # Trigger order: 20 runs before 30 and before the unordered one, whatever the names.
    flow("A_Last", f"<connector><targetReference>Mark</targetReference></connector>{BEFORE_SAVE_ACCOUNT}",
         append("[unordered]", "Mark")),
    flow("Z_First", f"<connector><targetReference>Mark</targetReference></connector>{BEFORE_SAVE_ACCOUNT}",
         append("[20]", "Mark"), order=20),
    flow("M_Second", f"<connector><targetReference>Mark</targetReference></connector>{BEFORE_SAVE_ACCOUNT}",
         append("[30]", "Mark"), order=30),
    # Only when a record is updated to meet the conditions: Rating becomes Hot.
    flow("Hot_Now", """<connector><targetReference>Mark</targetReference></connector>
         <doesRequireRecordChangedToMeetCriteria>true</doesRequireRecordChangedToMeetCriteria>
         <filterLogic>and</filterLogic><filters><field>Rating</field><operator>EqualTo</operator>
         <value><stringValue>Hot</stringValue></value></filters>""" + BEFORE_SAVE_ACCOUNT,
         append("[became hot]", "Mark"), order=40),
    # IsChanged in the entry conditions: the phone changed.
    flow("Phone_Changed", """<connector><targetReference>Mark</targetReference></connector>
         <filterLogic>and</filterLogic><filters><field>Phone</field><operator>IsChanged</operator>
         <value><booleanValue>true</booleanValue></value></filters>""" + BEFORE_SAVE_ACCOUNT,
         append("[phone changed]", "Mark"), order=50),
    # Before-save on Contact reading its account through $Record.Account (a cross-object reference).
    flow("Contact_Employer", """<connector><targetReference>Describe</targetReference></connector>
         <object>Contact</object><recordTriggerType>Create</recordTriggerType>
         <triggerType>RecordBeforeSave</triggerType>""",
         """<assignments><name>Describe</name><label>Describe</label>
            <assignmentItems><assignToReference>$Record.Description</assignToReference><operator>Assign</operator>
            <value><stringValue>Works at {!$Record.Account.Name} ({!$Record.Account.Industry})</stringValue>
            </value></assignmentItems></assignments>"""),
    # Before-save on Task reading its polymorphic parents: What:Account is set only when WhatId is an Account.
    flow("Task_Context", """<connector><targetReference>Describe</targetReference></connector>
         <object>Task</object><recordTriggerType>Create</recordTriggerType>
         <triggerType>RecordBeforeSave</triggerType>""",
         """<assignments><name>Describe</name><label>Describe</label>
            <assignmentItems><assignToReference>$Record.Description</assignToReference><operator>Assign</operator>
            <value><stringValue>{!$Record.What:Account.Name}|{!$Record.What:Opportunity.StageName}</stringValue>
            </value></assignmentItems>
            <assignmentItems><assignToReference>$Record.Subject</assignToReference><operator>Assign</operator>
            <value><stringValue>{!$Record.What:Opportunity.Name}</stringValue></value></assignmentItems>
            </assignments>"""),
    # After-save Custom Error on one field, for some records only.
    flow("No_Test_Contacts", """<connector><targetReference>Refuse</targetReference></connector>
         <filterLogic>and</filterLogic><filters><field>LastName</field><operator>StartsWith</operator>
         <value><stringValue>Test</stringValue></value></filters>
         <object>Contact</object><recordTriggerType>Create</recordTriggerType>
         <triggerType>RecordAfterSave</triggerType>""",
         """<customErrors><name>Refuse</name><label>Refuse</label><customErrorMessages>
            <errorMessage>No test contacts, please.</errorMessage><fieldSelection>LastName</fieldSelection>
            <isFieldError>true</isFieldError></customErrorMessages></customErrors>"""),
    # After-save on Lead: a query per account in a loop (a governor limit waiting to happen).
    flow("Query_In_Loop", """<connector><targetReference>Get_Accounts</targetReference></connector>
         <object>Lead</object><recordTriggerType>Create</recordTriggerType>
         <triggerType>RecordAfterSave</triggerType>""",
         """<recordLookups><name>Get_Accounts</name><label>Get Accounts</label>
            <assignNullValuesIfNoRecordsFound>false</assignNullValuesIfNoRecordsFound>
            <connector><targetReference>Each_Account</targetReference></connector>
            <getFirstRecordOnly>false</getFirstRecordOnly><object>Account</object>
            <storeOutputAutomatically>true</storeOutputAutomatically></recordLookups>
          <loops><name>Each_Account</name><label>Each Account</label>
            <collectionReference>Get_Accounts</collectionReference><iterationOrder>Asc</iterationOrder>
            <nextValueConnector><targetReference>Get_Contacts</targetReference></nextValueConnector></loops>
          <recordLookups><name>Get_Contacts</name><label>Get Contacts</label>
            <assignNullValuesIfNoRecordsFound>false</assignNullValuesIfNoRecordsFound>
            <connector><targetReference>Each_Account</targetReference></connector>
            <filterLogic>and</filterLogic><filters><field>AccountId</field><operator>EqualTo</operator>
            <value><elementReference>Each_Account.Id</elementReference></value></filters>
            <getFirstRecordOnly>false</getFirstRecordOnly><object>Contact</object>
            <storeOutputAutomatically>true</storeOutputAutomatically></recordLookups>"""),
]


@pytest.fixture
def org(tmp_path: Path) -> Iterator[Org]:
    flows = tmp_path / "force-app" / "main" / "default" / "flows"
    flows.mkdir(parents=True)
    (tmp_path / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app", "default": true}]}')
    for name, text in FLOWS:
        (flows / f"{name}.flow-meta.xml").write_text(text)
    with Org.open(load_settings(project_dir=tmp_path, database_url="sqlite://"), auth_factory=CHEAP_AUTH) as opened:
        yield opened


def description(org: Org, record_id: str) -> str | None:
    with org.transaction() as tx:
        [record] = tx.retrieve("Account", [record_id], ["Description"])
        assert record is not None
        return record["Description"]


def test_flows_run_by_trigger_order_then_the_unordered_ones(org: Org) -> None:
    with org.transaction() as tx:
        [saved] = tx.insert("Account", [{"Name": "Acme"}])
    assert description(org, str(saved.id)) == "[20][30][unordered]"


def test_only_when_updated_to_meet_the_conditions_and_is_changed(org: Org) -> None:
    with org.transaction() as tx:
        [saved] = tx.insert("Account", [{"Name": "Acme", "Rating": "Hot", "Phone": "1"}])  # created hot: enters
    assert description(org, str(saved.id)) == "[20][30][became hot][unordered]"
    with org.transaction() as tx:
        tx.update("Account", [{"Id": saved.id, "Description": "", "Phone": "2"}])  # still hot: does not re-enter
    assert description(org, str(saved.id)) == "[20][30][phone changed][unordered]"
    with org.transaction() as tx:
        tx.update("Account", [{"Id": saved.id, "Description": "", "Rating": "Cold"}])
        tx.update("Account", [{"Id": saved.id, "Description": "", "Rating": "Hot"}])  # becomes hot again
    assert description(org, str(saved.id)) == "[20][30][became hot][unordered]"


def test_an_after_save_custom_error_fails_only_its_record_when_not_all_or_none(org: Org) -> None:
    with org.transaction() as tx:
        results = tx.insert("Contact", [{"LastName": "Real"}, {"LastName": "Tester"}], all_or_none=False)
        assert [(r.success, [(e.status_code, e.message, e.fields) for e in r.errors]) for r in results] == [
            (True, []),
            (False, [("FIELD_CUSTOM_VALIDATION_EXCEPTION", "No test contacts, please.", ["LastName"])]),
        ]
        assert [row["LastName"] for row in run_soql("SELECT LastName FROM Contact", tx).records] == ["Real"]
    with org.transaction() as tx:
        results = tx.insert("Contact", [{"LastName": "Other"}, {"LastName": "Test 2"}])  # all or none
        assert [r.errors[0].status_code for r in results] == ["ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                                               "FIELD_CUSTOM_VALIDATION_EXCEPTION"]


def test_a_governor_limit_in_a_trigger_fails_every_record_of_the_dml(org: Org) -> None:
    with org.transaction() as tx:
        tx.insert("Account", [{"Name": f"Account {n}"} for n in range(3)])
    tx = org.transaction(limits=GovernorLimits(max_soql_queries=3))
    try:
        results = tx.insert("Lead", [{"LastName": "A", "Company": "X"}, {"LastName": "B", "Company": "Y"}],
                            all_or_none=False)
        message = ("We can't save this record because the “Query In Loop” process failed. Give your Salesforce "
                   "admin these details. Too many SOQL queries: 4")
        assert [(r.success, r.errors[0].status_code, r.errors[0].message) for r in results] == [
            (False, "CANNOT_EXECUTE_FLOW_TRIGGER", message)] * 2
    finally:
        tx.rollback()
    with org.transaction() as check:
        assert run_soql("SELECT Id FROM Lead", check).records == []


def test_parents_read_through_record_are_fetched_for_the_chunk(org: Org) -> None:
    with org.transaction() as tx:
        acme, globex = tx.insert("Account", [{"Name": "Acme", "Industry": "Energy"}, {"Name": "Globex"}])
        limits_before = (tx.limits.soql_queries, tx.limits.dml_statements)
        results = tx.insert("Contact", [{"LastName": "A", "AccountId": acme.id}, {"LastName": "B", "AccountId":
                                        globex.id}, {"LastName": "C"}])
        assert all(result.success for result in results)
        assert (tx.limits.soql_queries, tx.limits.dml_statements) == (limits_before[0], limits_before[1] + 1)
        rows = run_soql("SELECT LastName, Description FROM Contact ORDER BY LastName", tx).records
    assert [(row["LastName"], row["Description"]) for row in rows] == [
        ("A", "Works at Acme (Energy)"), ("B", "Works at Globex ()"), ("C", "Works at  ()")]


def test_polymorphic_references_read_the_parent_only_when_it_is_of_the_named_type(org: Org) -> None:
    with org.transaction() as tx:
        [account] = tx.insert("Account", [{"Name": "Acme"}])
        [deal] = tx.insert("Opportunity", [{"Name": "Big deal", "StageName": "Prospecting",
                                            "CloseDate": "2026-01-31", "AccountId": account.id}])
        tasks = tx.insert("Task", [{"WhatId": account.id}, {"WhatId": deal.id}, {}])
        assert [t.errors for t in tasks] == [[], [], []]
    with org.transaction() as tx:
        rows = run_soql("SELECT Description, Subject FROM Task ORDER BY Description", tx).records
    assert [(r["Description"], r["Subject"]) for r in rows] == [
        ("Acme|", ""), ("|", ""), ("|Prospecting", "Big deal")]


def test_a_flow_deactivated_by_another_process_stops_firing(tmp_path: Path) -> None:
    project = tmp_path / "project"
    flows = project / "force-app" / "main" / "default" / "flows"
    flows.mkdir(parents=True)
    (project / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app", "default": true}]}')
    name, text = FLOWS[1]  # Z_First: before-save on Account
    (flows / f"{name}.flow-meta.xml").write_text(text)
    database = f"sqlite:///{tmp_path / 'org.db'}"
    settings = load_settings(project_dir=project, database_url=database, flow_refresh_seconds=0)
    with Org.open(settings, auth_factory=CHEAP_AUTH) as first, Org.open(settings, auth_factory=CHEAP_AUTH) as other:
        other.set_flow_version(name, 1, status="Draft")
        with first.transaction() as tx:
            [saved] = tx.insert("Account", [{"Name": "Acme"}])
        assert description(first, str(saved.id)) is None
