"""Record-triggered flows from real projects (../shared/flow-corpus) firing on the org's DML.

Draft corpus files are activated in the copy (only active versions fire); the one custom field they need is
declared beside them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from flowforce.records.transaction import Transaction
from flowforce.runtime import Org
from flowforce.settings import load_settings
from flowforce.soql import run_soql

from .conftest import CHEAP_AUTH

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "flow-corpus"
USED = {
    "steinwinde__flowex/Update_Conditional": "after-save on Account create, entry logic ((1 AND 2) OR 3) AND 4, "
                                             "Update Records of $Record with its own conditions",
    "Flow-Scanner__lightning-flow-scanner-core/Same_Record_Field_Updates": "before-save Update Records of $Record",
    "Flow-Scanner__lightning-flow-scanner-core/Make_Recursive": "after-save on Case updating its own records",
}
# Hand-made: an after-save flow that updates its own triggering record (Salesforce's re-entry case).
CASE_TOUCH = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Case Touch</label><processType>AutoLaunchedFlow</processType><status>Active</status>
    <start><connector><targetReference>Touch</targetReference></connector><object>Case</object>
        <recordTriggerType>CreateAndUpdate</recordTriggerType><triggerType>RecordAfterSave</triggerType></start>
    <recordUpdates><name>Touch</name><label>Touch</label>
        <inputAssignments><field>Description</field><value><stringValue>touched {!$Record.Subject}</stringValue>
        </value></inputAssignments>
        <inputReference>$Record</inputReference></recordUpdates>
</Flow>
"""
# Hand-made: a grandparent read, $Record.Account.Parent.Name, written onto the triggering contact.
CONTACT_GRANDPARENT = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Contact Grandparent</label><processType>AutoLaunchedFlow</processType><status>Active</status>
    <start><connector><targetReference>Stamp</targetReference></connector><object>Contact</object>
        <recordTriggerType>Create</recordTriggerType><triggerType>RecordAfterSave</triggerType></start>
    <recordUpdates><name>Stamp</name><label>Stamp</label>
        <inputAssignments><field>Description</field><value>
        <elementReference>$Record.Account.Parent.Name</elementReference></value></inputAssignments>
        <inputReference>$Record</inputReference></recordUpdates>
</Flow>
"""
ACTIVE_FIELD = """<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Active__c</fullName><label>Active</label><type>Text</type><length>3</length>
</CustomField>
"""

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="../shared/flow-corpus is not beside the project")


@pytest.fixture
def org(tmp_path: Path, db_url: str) -> Iterator[Org]:
    default = tmp_path / "force-app" / "main" / "default"
    (default / "flows").mkdir(parents=True)
    (default / "objects" / "Account" / "fields").mkdir(parents=True)
    (default / "objects" / "Account" / "fields" / "Active__c.field-meta.xml").write_text(ACTIVE_FIELD)
    (tmp_path / "sfdx-project.json").write_text('{"packageDirectories": [{"path": "force-app", "default": true}]}')
    for name in USED:
        source = CORPUS / f"{name}.flow-meta.xml"
        text = source.read_text().replace("<status>Draft</status>", "<status>Active</status>")
        (default / "flows" / source.name).write_text(text)
    (default / "flows" / "Case_Touch.flow-meta.xml").write_text(CASE_TOUCH)
    (default / "flows" / "Contact_Grandparent.flow-meta.xml").write_text(CONTACT_GRANDPARENT)
    with Org.open(load_settings(project_dir=tmp_path, database_url=db_url), auth_factory=CHEAP_AUTH) as opened:
        yield opened


@pytest.fixture
def tx(org: Org) -> Iterator[Transaction]:
    """A transaction rolled back after the test (the tests read the store inside it)."""
    opened = org.transaction()
    try:
        yield opened
    finally:
        opened.rollback()


def test_entry_logic_and_the_conditional_update_of_the_triggering_record(org: Org) -> None:
    with org.transaction() as tx:
        results = tx.insert("Account", [
            {"Name": "Felix GmbH", "BillingCountry": "Germany"},  # enters by 3 (Name starts with Felix)
            {"Name": "Hans", "BillingCity": "Hamburg", "AccountSource": "Web", "BillingCountry": "Germany"},  # 1 AND 2
            {"Name": "Other", "BillingCity": "Hamburg", "BillingCountry": "Germany"},  # 1 only: does not enter
            {"Name": "Felix AG", "BillingCity": "Bern", "BillingCountry": "Switzerland"},  # enters; update's
        ])                                                                              # conditions not met
        assert all(result.success for result in results)
        rows = run_soql("SELECT Name, BillingCountry, Active__c FROM Account ORDER BY Name", tx).records
    # $Organization.Country is not set in flowforce's org record: the matching accounts lose their country.
    assert [(row["Name"], row["BillingCountry"]) for row in rows] == [
        ("Felix AG", "Switzerland"), ("Felix GmbH", None), ("Hans", None), ("Other", "Germany")]
    # Same_Record_Field_Updates (before-save on create) set the field on every new account, without DML.
    assert {row["Active__c"] for row in rows} == {"Yes"}


def test_before_save_update_of_record_costs_no_dml(org: Org) -> None:
    tx = org.transaction()
    try:
        tx.insert("Account", [{"Name": f"Plain {n}"} for n in range(3)])
        assert tx.limits.dml_statements == 1
    finally:
        tx.rollback()


def test_an_after_save_flow_updating_its_own_record_does_not_re_enter_itself(org: Org) -> None:
    tx = org.transaction()
    try:
        [account] = tx.insert("Account", [{"Name": "Parent"}])
        results = tx.insert("Case", [{"Subject": "One", "AccountId": account.id},
                                     {"Subject": "Two", "AccountId": account.id}])
        assert [result.success for result in results] == [True, True]
        rows = run_soql("SELECT Subject, Description FROM Case", tx).records
        # Make_Recursive renames each case (Subject = TEXT(NOW())) by updating its triggering record; that
        # nested save runs Case_Touch again (it had finished), which itself never re-enters for a record it
        # is running for: the chain ends, and the description follows the last subject.
        assert len(rows) == 2 and all(row["Subject"] not in ("One", "Two") for row in rows)
        assert all(row["Description"] == f"touched {row['Subject']}" for row in rows)
    finally:
        tx.rollback()


def test_update_records_of_the_related_account_sets_the_elements_fields_on_it(tx: Transaction) -> None:
    [account, _elsewhere] = tx.insert("Account", [{"Name": "Parent"}, {"Name": "Elsewhere"}])
    tx.insert("Case", [{"Subject": "One", "AccountId": account.id}])
    rows = {row["Name"]: row for row in run_soql("SELECT Name, Description FROM Account", tx).records}
    # Make_Recursive's Recursive_Update: inputReference $Record.Account with Description = TEXT(NOW()).
    assert rows["Parent"]["Description"] is not None and rows["Parent"]["Description"][:2] == "20"
    assert rows["Elsewhere"]["Description"] is None


def test_a_grandparent_field_is_read_through_two_lookups(tx: Transaction) -> None:
    [group] = tx.insert("Account", [{"Name": "Group"}])
    [sub_a, sub_b] = tx.insert("Account", [{"Name": "Sub A", "ParentId": group.id}, {"Name": "Sub B"}])
    [ann] = tx.insert("Contact", [{"LastName": "Ann", "AccountId": sub_a.id}])
    # A blank lookup on the way faults the flow, as on Salesforce: the save fails naming the path.
    [bob] = tx.insert("Contact", [{"LastName": "Bob", "AccountId": sub_b.id}], all_or_none=False)
    assert ann.success and not bob.success
    assert bob.errors[0].message.endswith("The flow failed to access the value for $Record.Account.Parent.Name "
                                          "because it hasn't been set or assigned.")
    rows = run_soql("SELECT LastName, Description FROM Contact", tx).records
    assert [(row["LastName"], row["Description"]) for row in rows] == [("Ann", "Group")]
