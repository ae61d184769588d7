"""Flows over real projects' schema (tests/records/fixtures/README.md), on SQLite and PostgreSQL: Get Records
filtered and sorted on a formula field, record types looked up by DeveloperName, custom metadata read with
Get Records, roll-ups seen by the flow right after its own Create Records, names with the project namespace."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from flowforce.metadata.parser import parse_flow_bytes
from flowforce.records.ids import to_18
from flowforce.records.registry_builder import record_type_id
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore

from .kit import Harness, create, flow, lookup, num, record_var, ref, text, var

FIXTURES = Path(__file__).parents[1] / "records" / "fixtures"


@pytest.fixture
def harness_for(db_url: str) -> Iterator[object]:
    opened: list[RecordStore] = []

    def open_project(name: str) -> Harness:
        store = RecordStore(db_url, SchemaRegistry.load(FIXTURES / name))
        opened.append(store)
        return Harness(store)

    yield open_project
    for store in opened:
        store.close()


def test_get_records_filters_and_sorts_on_a_formula_field(harness_for) -> None:  # type: ignore[no-untyped-def]
    h = harness_for("project")
    h.seed("Invoice__c", [{"Title__c": t, "Amount__c": a, "Quantity__c": q}
                          for t, a, q in (("small", "1.50", 2), ("big", "12.50", 4), ("mid", "5", 2))])
    xml = flow(
        record_var("Found", "Invoice__c", collection=True),
        lookup("Get_Large", "Invoice__c", [("Total__c", "GreaterThan", num(2))], first_only=False,
               output_reference="Found", queried=["Title__c", "Total__c"], sort=("Total__c", "Desc")),
        start="Get_Large",
    )
    found = h.run(xml).outputs()["Found"]
    assert [(r["Title__c"], r["Total__c"]) for r in found] == [
        ("big", Decimal("50.00")), ("mid", Decimal("10.00")), ("small", Decimal("3.00"))]


def test_get_records_finds_a_record_type_by_developer_name(harness_for) -> None:  # type: ignore[no-untyped-def]
    h = harness_for("project")
    xml = flow(
        var("TypeId", output=True),
        lookup("Get_Type", "RecordType", [("SobjectType", "EqualTo", text("Invoice__c")),
                                          ("DeveloperName", "EqualTo", text("Standard"))],
               assignments={"Id": "TypeId"}),
        start="Get_Type",
    )
    assert h.run(xml).outputs()["TypeId"] == record_type_id("Invoice__c", "Standard")


def test_get_records_reads_custom_metadata(harness_for) -> None:  # type: ignore[no-untyped-def]
    h = harness_for("npsp")
    xml = flow(
        var("Channel", output=True),
        lookup("Get_Setting", "npsp__Custom_Notification__mdt", [("DeveloperName", "EqualTo", text("Elevate_Advert")),
                                                                ("IsActive__c", "EqualTo", "<booleanValue>true"
                                                                 "</booleanValue>")],
               assignments={"Notification_Channel__c": "Channel"}),
        start="Get_Setting",
    )
    assert h.run(xml).outputs()["Channel"] == "NPSP Product Updates"


def test_a_flow_sees_the_roll_up_of_the_children_it_created(harness_for) -> None:  # type: ignore[no-untyped-def]
    h = harness_for("npsp")
    [template] = h.seed("Engagement_Plan_Template__c", [{"Name": "Welcome"}])
    xml = flow(
        var("TemplateId", input=True),
        var("Count", "Number", output=True, scale=0),
        create("Create_Task_1", "npsp__Engagement_Plan_Task__c", {"Name": text("Call"),
                                                                  "Engagement_Plan_Template__c": ref("TemplateId")},
               next_="Create_Task_2"),
        create("Create_Task_2", "Engagement_Plan_Task__c", {"Name": text("Email"),
                                                            "npsp__Engagement_Plan_Template__c": ref("TemplateId")},
               next_="Get_Template"),
        lookup("Get_Template", "Engagement_Plan_Template__c", [("Id", "EqualTo", ref("TemplateId"))],
               assignments={"npsp__Total_Tasks__c": "Count"}),
        start="Create_Task_1",
    )
    assert h.run(xml, [{"TemplateId": template}]).outputs()["Count"] == 2
    assert h.query("SELECT Total_Tasks__c FROM Engagement_Plan_Template__c") == [
        {"Total_Tasks__c": Decimal(2)}]


def test_label_and_custom_metadata_globals_in_a_flow_formula(harness_for) -> None:  # type: ignore[no-untyped-def]
    h = harness_for("npsp")
    formula = ("<formulas><name>Summary</name><dataType>String</dataType><expression>{!$Label.installmentperiod} "
               "&amp; ': ' &amp; "
               "{!$CustomMetadata.npsp__Custom_Notification__mdt.Elevate_Advert.Notification_Channel__c}"
               " &amp; IF({!$CustomMetadata.Custom_Notification__mdt.Elevate_Advert.IsActive__c}, ' (on)', ' (off)')"
               "</expression></formulas>")
    xml = flow(
        var("Out", output=True),
        formula,
        "<assignments><name>Set</name><label>Set</label><locationX>0</locationX><locationY>0</locationY>"
        "<assignmentItems><assignToReference>Out</assignToReference><operator>Assign</operator>"
        "<value><elementReference>Summary</elementReference></value></assignmentItems></assignments>",
        start="Set",
    )
    run = h.org.run(parse_flow_bytes(xml.encode(), api_name="Globals_Test"), [{}])  # pure logic: no transaction
    assert run.batch.results[0].outputs["Out"] == "Installment Period: NPSP Product Updates (on)"


def test_setup_global_reads_the_org_default_of_a_hierarchy_setting(harness_for) -> None:  # type: ignore[no-untyped-def]
    h = harness_for("npsp")
    h.seed("Package_Settings__c", [{"SetupOwnerId": to_18("00D5f0000000001"), "Namespace_Prefix__c": "npsp__"}])
    xml = flow(
        var("Out", output=True),
        "<assignments><name>Set</name><label>Set</label><locationX>0</locationX><locationY>0</locationY>"
        "<assignmentItems><assignToReference>Out</assignToReference><operator>Assign</operator>"
        "<value><elementReference>$Setup.Package_Settings__c.Namespace_Prefix__c</elementReference></value>"
        "</assignmentItems></assignments>",
        start="Set",
    )
    run = h.org.run(parse_flow_bytes(xml.encode(), api_name="Setup_Test"), [{}])
    assert run.batch.results[0].outputs["Out"] == "npsp__"


def test_get_records_finds_an_object_by_key_prefix(harness_for) -> None:  # type: ignore[no-untyped-def]
    """LightningFlowComponents' Task_Set_Related_To_Fields looks up EntityDefinition by KeyPrefix like this."""
    h = harness_for("project")
    [invoice] = h.seed("Invoice__c", [{"Title__c": "t"}])
    xml = flow(
        var("Prefix", input=True),
        var("TypeName", output=True),
        lookup("RelatedToEntityDefinition", "EntityDefinition", [("KeyPrefix", "EqualTo", ref("Prefix")),
                                                                 ("KeyPrefix", "NotEqualTo", text(""))],
               assignments={"QualifiedApiName": "TypeName"}),
        start="RelatedToEntityDefinition",
    )
    assert h.run(xml, [{"Prefix": invoice[:3]}]).outputs()["TypeName"] == "Invoice__c"


def test_a_managed_package_object_is_reported_by_its_namespace() -> None:
    from flowforce.metadata.validate import validate_flow

    registry = SchemaRegistry.load(FIXTURES / "npsp")
    xml = flow(
        record_var("Found", "npe03__Recurring_Donation__c", collection=True),
        record_var("Plans", "Engagement_Plan__c", collection=True),
        lookup("Get_Donations", "npe03__Recurring_Donation__c", first_only=False, output_reference="Found",
               queried=["Id"], next_="Get_Plans"),
        lookup("Get_Plans", "npsp__Engagement_Plan__c", first_only=False, output_reference="Plans", queried=["Id"]),
        start="Get_Donations",
    )
    problems = validate_flow(parse_flow_bytes(xml.encode(), api_name="Namespaces"), schema=registry)
    assert [p.message for p in problems if "not known" in p.message] == [
        "the object npe03__Recurring_Donation__c is not known: it belongs to the npe03 namespace, a managed package "
        "this project does not contain (fields on it are not checked)"]
