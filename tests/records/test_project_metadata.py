"""Schema details of real SFDX projects (fixtures/README.md): roll-up summaries kept current by child DML,
Activity fields on Task and Event, custom metadata records, platform events, record types, the project's
namespace and lookup delete constraints — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path

import pytest

from flowforce.records.errors import InvalidTypeForOperation
from flowforce.records.ids import to_18
from flowforce.records.registry_builder import record_type_id
from flowforce.records.schema import FieldType, SchemaRegistry
from flowforce.records.store import RecordStore
from flowforce.soql.execution import run_soql

from .conftest import FIXTURES, PROJECT
from .helpers import insert_one

NPSP = FIXTURES / "npsp"
EBIKES = FIXTURES / "ebikes"


def _open(db_url: str, project: Path) -> RecordStore:
    return RecordStore(db_url, SchemaRegistry.load(project))


@pytest.fixture
def npsp(db_url: str) -> Iterator[RecordStore]:
    with _open(db_url, NPSP) as store:
        yield store


def _plain(value: object) -> object:
    return {k: _plain(v) for k, v in value.items()} if isinstance(value, Mapping) else value


def _rows(store: RecordStore, soql: str) -> list[object]:
    with store.transaction() as tx:
        return [_plain(r) for r in run_soql(soql, tx).records]


def _plan(tx: object) -> str:
    template = insert_one(tx, "Engagement_Plan_Template__c", {"Name": "Welcome"})  # type: ignore[arg-type]
    return insert_one(tx, "Engagement_Plan__c", {"Engagement_Plan_Template__c": template})  # type: ignore[arg-type]


def test_npsp_roll_ups_follow_inserts_reparenting_and_deletes(npsp: RecordStore) -> None:
    with npsp.transaction() as tx:
        first = insert_one(tx, "Engagement_Plan_Template__c", {"Name": "Welcome"})
        second = insert_one(tx, "Engagement_Plan_Template__c", {"Name": "Thanks"})
        tasks = [insert_one(tx, "Engagement_Plan_Task__c", {"Name": f"Call {n}", "Engagement_Plan_Template__c": first})
                 for n in range(3)]
    soql = "SELECT Name, Total_Tasks__c FROM Engagement_Plan_Template__c ORDER BY Name"
    assert _rows(npsp, soql) == [{"Name": "Thanks", "Total_Tasks__c": Decimal(0)},
                                 {"Name": "Welcome", "Total_Tasks__c": Decimal(3)}]
    with npsp.transaction() as tx:
        moved = {"Id": tasks[0], "Engagement_Plan_Template__c": second}
        assert tx.update("Engagement_Plan_Task__c", [moved])[0].success
        assert tx.delete("Engagement_Plan_Task__c", [tasks[1]])[0].success
    assert _rows(npsp, soql) == [{"Name": "Thanks", "Total_Tasks__c": Decimal(1)},
                                 {"Name": "Welcome", "Total_Tasks__c": Decimal(1)}]
    # a roll-up is a field like any other in SOQL filters
    assert _rows(npsp, "SELECT Name FROM npsp__Engagement_Plan_Template__c WHERE npsp__Total_Tasks__c > 0 "
                       "AND Total_Tasks__c < 2 ORDER BY Name") == [{"Name": "Thanks"}, {"Name": "Welcome"}]
    with npsp.transaction() as tx:
        assert tx.undelete("Engagement_Plan_Task__c", [tasks[1]])[0].success
    assert _rows(npsp, soql)[1] == {"Name": "Welcome", "Total_Tasks__c": Decimal(2)}


def test_roll_ups_are_read_only_and_rolled_back_with_the_child(npsp: RecordStore) -> None:
    with npsp.transaction() as tx:
        template = insert_one(tx, "Engagement_Plan_Template__c", {"Name": "Welcome"})
        [refused] = tx.update("Engagement_Plan_Template__c", [{"Id": template, "Total_Tasks__c": 5}])
    assert refused.errors[0].status_code == "INVALID_FIELD_FOR_INSERT_UPDATE"
    tx = npsp.transaction()
    insert_one(tx, "Engagement_Plan_Task__c", {"Name": "Call", "Engagement_Plan_Template__c": template})
    tx.rollback()
    assert _rows(npsp, "SELECT Total_Tasks__c FROM Engagement_Plan_Template__c") == [{"Total_Tasks__c": Decimal(0)}]


def test_npsp_activity_fields_are_on_task_and_event(npsp: RecordStore) -> None:
    for name in ("Task", "Event"):
        schema = npsp.registry.get(name).field("Engagement_Plan__c")
        assert (schema.type, schema.reference_to) == (FieldType.REFERENCE, ("Engagement_Plan__c",))
    with npsp.transaction() as tx:
        plan = _plan(tx)
        insert_one(tx, "Task", {"Subject": "Call", "npsp__Engagement_Plan__c": plan})
    assert _rows(npsp, "SELECT Subject, Engagement_Plan__r.Id FROM Task") == [
        {"Subject": "Call", "Engagement_Plan__r": {"Id": plan}}]


def test_deleting_a_parent_clears_set_null_lookups(npsp: RecordStore) -> None:
    with npsp.transaction() as tx:
        plan = _plan(tx)
        task = insert_one(tx, "Task", {"Subject": "Call", "Engagement_Plan__c": plan})
        assert tx.delete("Engagement_Plan__c", [plan])[0].success
    assert _rows(npsp, f"SELECT Id, Engagement_Plan__c FROM Task WHERE Id = '{task}'") == [
        {"Id": task, "Engagement_Plan__c": None}]


def test_custom_metadata_records_are_loaded_read_only(npsp: RecordStore) -> None:
    soql = ("SELECT DeveloperName, MasterLabel, QualifiedApiName, IsActive__c, Notification_Channel__c "
            "FROM npsp__Custom_Notification__mdt WHERE IsActive__c = true")
    assert _rows(npsp, soql) == [{"DeveloperName": "Elevate_Advert", "MasterLabel": "Elevate Advert",
                                  "QualifiedApiName": "npsp__Elevate_Advert", "IsActive__c": True,
                                  "Notification_Channel__c": "NPSP Product Updates"}]
    with npsp.transaction() as tx, pytest.raises(InvalidTypeForOperation):
        tx.insert("Custom_Notification__mdt", [{"DeveloperName": "Other", "MasterLabel": "Other"}])


def test_metadata_records_keep_their_ids_and_follow_the_metadata(db_url: str, tmp_path: Path) -> None:
    with _open(db_url, NPSP) as store:
        before = _rows(store, "SELECT Id FROM Custom_Notification__mdt")
    with _open(db_url, NPSP) as store:
        assert _rows(store, "SELECT Id FROM Custom_Notification__mdt") == before
    with _open(db_url, EBIKES) as store:  # a project without that record: it is gone
        assert _rows(store, "SELECT Id FROM RecordType") == []


def test_platform_event_is_schema_insert_only(db_url: str) -> None:
    with _open(db_url, EBIKES) as store:
        event = store.registry.get("Manufacturing_Event__e")
        assert (event.createable, event.updateable, event.deletable, event.queryable) == (True, False, False, False)
        assert event.field("Status__c").type is FieldType.STRING and event.has_field("ReplayId")
        master = store.registry.get("Order_Item__c").field("Order__c")
        assert master.is_master_detail


def test_record_types_are_records_with_defaults(db_url: str) -> None:
    with _open(db_url, PROJECT) as store:
        rows = _rows(store, "SELECT Id, DeveloperName, Name, SobjectType, IsActive FROM RecordType "
                            "ORDER BY DeveloperName")
        standard = record_type_id("Invoice__c", "Standard")
        credit = record_type_id("Invoice__c", "Credit_Note")
        assert rows == [
            {"Id": credit, "DeveloperName": "Credit_Note", "Name": "Credit Note", "SobjectType": "Invoice__c",
             "IsActive": True},
            {"Id": record_type_id("Invoice__c", "Legacy"), "DeveloperName": "Legacy", "Name": "Legacy",
             "SobjectType": "Invoice__c", "IsActive": False},
            {"Id": standard, "DeveloperName": "Standard", "Name": "Standard Invoice", "SobjectType": "Invoice__c",
             "IsActive": True}]
        with store.transaction() as tx:
            plain = insert_one(tx, "Invoice__c", {"Title__c": "a"})
            chosen = insert_one(tx, "Invoice__c", {"Title__c": "b", "RecordTypeId": standard})
        assert _rows(store, "SELECT Id, RecordType.DeveloperName FROM Invoice__c WHERE "
                            "RecordType.DeveloperName = 'Standard'") == [
            {"Id": chosen, "RecordType": {"DeveloperName": "Standard"}}]
        assert _rows(store, f"SELECT RecordTypeId FROM Invoice__c WHERE Id = '{plain}'") == [{"RecordTypeId": credit}]
        rule = store.registry.get("Invoice__c").record_type("standard")
        assert rule is not None and rule.picklist_values["status__c"] == ("Draft", "Sent", "Paid")


def _field(directory: Path, xml: str) -> None:
    name = xml.split("<fullName>")[1].split("<")[0]
    (directory / "fields").mkdir(parents=True, exist_ok=True)
    (directory / "fields" / f"{name}.field-meta.xml").write_text(
        f'<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">{xml}</CustomField>')


def test_a_roll_up_of_roll_ups_follows_the_grandchildren(db_url: str, tmp_path: Path) -> None:
    objects = tmp_path / "force-app" / "objects"
    for name in ("Region__c", "Store__c", "Sale__c"):
        (objects / name).mkdir(parents=True)
    _field(objects / "Store__c", "<fullName>Region__c</fullName><type>MasterDetail</type>"
           "<referenceTo>Region__c</referenceTo><relationshipName>Stores</relationshipName>")
    _field(objects / "Sale__c", "<fullName>Store__c</fullName><type>MasterDetail</type>"
           "<referenceTo>Store__c</referenceTo><relationshipName>Sales</relationshipName>")
    _field(objects / "Sale__c", "<fullName>Amount__c</fullName><type>Currency</type><precision>18</precision>"
           "<scale>2</scale>")
    _field(objects / "Store__c", "<fullName>Revenue__c</fullName><type>Summary</type>"
           "<summaryForeignKey>Sale__c.Store__c</summaryForeignKey><summaryOperation>sum</summaryOperation>"
           "<summarizedField>Sale__c.Amount__c</summarizedField>"
           "<summaryFilterItems><field>Sale__c.Amount__c</field><operation>greaterThan</operation>"
           "<value>0</value></summaryFilterItems>")
    _field(objects / "Region__c", "<fullName>Best_Store__c</fullName><type>Summary</type>"
           "<summaryForeignKey>Store__c.Region__c</summaryForeignKey><summaryOperation>max</summaryOperation>"
           "<summarizedField>Store__c.Revenue__c</summarizedField>")
    with _open(db_url, tmp_path) as store:
        assert store.registry.get("Store__c").field("Revenue__c").type is FieldType.CURRENCY
        with store.transaction() as tx:
            region = insert_one(tx, "Region__c", {"Name": "North"})
            shop = insert_one(tx, "Store__c", {"Name": "A", "Region__c": region})
            insert_one(tx, "Store__c", {"Name": "B", "Region__c": region})
            for amount in ("10.50", "4.25", "-3"):
                insert_one(tx, "Sale__c", {"Name": "s", "Store__c": shop, "Amount__c": amount})
        assert _rows(store, "SELECT Name, Revenue__c FROM Store__c ORDER BY Name") == [
            {"Name": "A", "Revenue__c": Decimal("14.75")}, {"Name": "B", "Revenue__c": Decimal("0.00")}]
        assert _rows(store, "SELECT Best_Store__c FROM Region__c") == [{"Best_Store__c": Decimal("14.75")}]


def test_compound_address_and_geolocation_fields_read_their_components(db_url: str) -> None:
    with _open(db_url, PROJECT) as store:
        with store.transaction() as tx:
            insert_one(tx, "Contact", {"LastName": "Curie", "MailingCity": "Paris", "MailingCountry": "FR"})
            for title, latitude, longitude in (("louvre", "48.8606", "2.3376"), ("lyon", "45.7640", "4.8357")):
                insert_one(tx, "Invoice__c", {"Title__c": title, "Location__Latitude__s": latitude,
                                              "Location__Longitude__s": longitude})
            insert_one(tx, "Invoice__c", {"Title__c": "nowhere"})
        assert _rows(store, "SELECT MailingAddress, OtherAddress FROM Contact") == [{
            "MailingAddress": {"street": None, "city": "Paris", "state": None, "postalCode": None, "country": "FR"},
            "OtherAddress": None}]
        rows = _rows(store, "SELECT Title__c, Location__c, Km_From_Paris__c FROM Invoice__c "
                            "WHERE Km_From_Paris__c < 100")
        assert rows == [{"Title__c": "louvre", "Km_From_Paris__c": Decimal("1.2"), "Location__c": {
            "latitude": Decimal("48.86060"), "longitude": Decimal("2.33760")}}]
        assert store.registry.get("Contact").field("MailingAddress").type is FieldType.ADDRESS


def test_label_and_custom_metadata_in_record_formulas(npsp: RecordStore) -> None:
    from flowforce.records.formula_fields import RecordFormulaEnv, compile_cached

    obj = npsp.registry.get("Engagement_Plan__c")
    with npsp.transaction() as tx:
        env = RecordFormulaEnv({}, obj, tx)
        formula = compile_cached("$Label.Addr_Id_Error & IF($CustomMetadata.Custom_Notification__mdt."
                                 "Elevate_Advert.IsActive__c, ' on', ' off')", "string", None)
        assert formula.evaluate(env) == "You must provide an Auth ID. on"


def test_hierarchy_custom_setting_answers_setup_for_user_profile_then_org(npsp: RecordStore) -> None:
    setting = npsp.registry.get("Package_Settings__c")
    assert setting.custom_setting == "Hierarchy" and not setting.has_field("OwnerId")
    with npsp.transaction() as tx:
        profile = insert_one(tx, "Profile", {"Name": "Volunteer"})
        user = insert_one(tx, "User", {"Username": "v@example.org", "LastName": "V", "Email": "v@example.org",
                                       "Alias": "v", "ProfileId": profile})
        other = insert_one(tx, "User", {"Username": "w@example.org", "LastName": "W", "Email": "w@example.org",
                                        "Alias": "w", "ProfileId": profile})
        assert tx.setup_value("Package_Settings__c", "Namespace_Prefix__c", user) is None
        insert_one(tx, "Package_Settings__c", {"SetupOwnerId": to_18("00D5f0000000001"),
                                                "Namespace_Prefix__c": "org"})
        assert tx.setup_value("Package_Settings__c", "Namespace_Prefix__c", user) == "org"
        insert_one(tx, "Package_Settings__c", {"SetupOwnerId": profile, "Namespace_Prefix__c": "profile"})
        insert_one(tx, "Package_Settings__c", {"SetupOwnerId": user, "Namespace_Prefix__c": "npsp__"})
        assert tx.setup_value("Package_Settings__c", "Namespace_Prefix__c", user) == "npsp__"
        assert tx.setup_value("Package_Settings__c", "Namespace_Prefix__c", other) == "profile"
        from flowforce.records.formula_fields import RecordFormulaEnv, compile_cached

        formula = compile_cached("$Setup.npsp__Package_Settings__c.Namespace_Prefix__c & 'x'", "string", None)
        assert formula.evaluate(RecordFormulaEnv({}, setting, tx, user_id=user)) == "npsp__x"


def test_notification_types_and_global_value_sets(npsp: RecordStore) -> None:
    assert _rows(npsp, "SELECT DeveloperName, CustomNotifTypeName, Desktop, Mobile FROM CustomNotificationType") == [
        {"DeveloperName": "NPSP_Product_Updates", "CustomNotifTypeName": "NPSP Product Updates", "Desktop": True,
         "Mobile": False}]
    code = npsp.registry.get("npe01__OppPayment__c").field("ACH_Code__c")
    assert code.restricted_picklist and [v.value for v in code.picklist_values][:3] == ["PPD", "CCD", "WEB"]
    with npsp.transaction() as tx:
        assert tx.insert("npe01__OppPayment__c", [{"Name": "p", "ACH_Code__c": "ppd"}])[0].success
        [refused] = tx.insert("npe01__OppPayment__c", [{"Name": "q", "ACH_Code__c": "Wire"}])
    assert refused.errors[0].status_code == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"


def test_a_changed_record_type_is_updated_at_the_next_start(db_url: str, tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    soql = "SELECT Id, Name FROM RecordType WHERE DeveloperName = 'Legacy'"
    with _open(db_url, project) as store:
        before = _rows(store, soql)
    legacy = next(project.rglob("Legacy.recordType-meta.xml"))
    legacy.write_text(legacy.read_text().replace("<label>Legacy</label>", "<label>Old Invoices</label>"))
    with _open(db_url, project) as store:
        assert _rows(store, soql) == [{"Id": before[0]["Id"], "Name": "Old Invoices"}]  # type: ignore[index]


def test_stores_opening_together_on_one_database_sync_the_records_once(db_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    registry = SchemaRegistry.load(PROJECT)
    with RecordStore(db_url, registry) as first, first.engine.begin() as conn:
        conn.execute(first.tables.table("RecordType").delete())  # tables exist: the stores below race on rows

    def open_one(_: int) -> int:
        with RecordStore(db_url, registry) as store:
            return len(_rows(store, "SELECT Id FROM RecordType"))

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(open_one, range(4))) == [3, 3, 3, 3]
