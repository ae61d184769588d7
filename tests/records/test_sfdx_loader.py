"""Custom objects, fields of every type, validation rules and standard-object extensions from an SFDX project."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowforce.records.schema import FieldType, SchemaRegistry


@pytest.mark.parametrize(
    ("field", "type_", "length"),
    [
        ("Title__c", FieldType.STRING, 20),
        ("Notes__c", FieldType.TEXTAREA, 255),
        ("Body__c", FieldType.TEXTAREA, 1000),
        ("Html_Body__c", FieldType.TEXTAREA, 5000),
        ("Billing_Email__c", FieldType.EMAIL, 80),
        ("Billing_Phone__c", FieldType.PHONE, 40),
        ("Portal_Url__c", FieldType.URL, 255),
        ("Status__c", FieldType.PICKLIST, 255),
        ("Channels__c", FieldType.MULTIPICKLIST, 4099),
        ("Secret__c", FieldType.ENCRYPTEDSTRING, 50),
        ("Account__c", FieldType.REFERENCE, 18),
    ],
)
def test_text_like_field_types(registry: SchemaRegistry, field: str, type_: FieldType, length: int) -> None:
    schema = registry.get("Invoice__c").field(field)
    assert (schema.type, schema.length, schema.custom) == (type_, length, True)


@pytest.mark.parametrize(
    ("field", "type_", "precision", "scale"),
    [
        ("Quantity__c", FieldType.DOUBLE, 18, 0),
        ("Rate__c", FieldType.DOUBLE, 10, 4),
        ("Amount__c", FieldType.CURRENCY, 16, 2),
        ("Discount__c", FieldType.PERCENT, 5, 2),
    ],
)
def test_numeric_field_types(registry: SchemaRegistry, field: str, type_: FieldType, precision: int,
                             scale: int) -> None:
    schema = registry.get("Invoice__c").field(field)
    assert (schema.type, schema.precision, schema.scale) == (type_, precision, scale)


def test_date_time_and_checkbox_types(registry: SchemaRegistry) -> None:
    invoice = registry.get("Invoice__c")
    assert invoice.field("Due_Date__c").type is FieldType.DATE
    assert invoice.field("Due_Date__c").default_value == "TODAY() + 30"
    assert invoice.field("Sent_At__c").type is FieldType.DATETIME
    assert invoice.field("Cutoff_Time__c").type is FieldType.TIME
    paid = invoice.field("Paid__c")
    assert paid.type is FieldType.BOOLEAN and not paid.nillable and not paid.required


def test_field_flags(registry: SchemaRegistry) -> None:
    invoice = registry.get("Invoice__c")
    assert invoice.field("Title__c").required
    key = invoice.field("External_Key__c")
    assert key.external_id and key.unique and key.id_lookup and not key.case_sensitive
    assert invoice.field("Legacy_Code__c").external_id and not invoice.field("Legacy_Code__c").unique


def test_picklists(registry: SchemaRegistry) -> None:
    status = registry.get("Invoice__c").field("Status__c")
    assert [v.value for v in status.picklist_values] == ["Draft", "Sent", "Paid"]
    assert status.restricted_picklist and status.default_value == "Draft"
    assert not registry.get("Invoice__c").field("Category__c").restricted_picklist


def test_auto_number_name_field(registry: SchemaRegistry) -> None:
    name = registry.get("Invoice__c").name_field
    assert name is not None and name.auto_number and name.display_format == "INV-{0000}"
    assert not name.createable and not name.required


def test_lookup_and_master_detail(registry: SchemaRegistry) -> None:
    invoice = registry.get("Invoice__c")
    assert invoice.parent_relationship("account__r").name == "Account__c"
    invoices = registry.get("Account").child_relationship("Invoices__r")
    assert (invoices.child_sobject, invoices.field, invoices.cascade_delete) == ("Invoice__c", "Account__c", False)
    line = registry.get("Invoice_Line__c")
    master = line.field("Invoice__c")
    assert master.is_master_detail and master.required
    assert not line.has_field("OwnerId")  # detail records are owned by their master
    assert registry.get("Invoice__c").child_relationship("Lines__r").cascade_delete


def test_formula_fields_are_calculated(registry: SchemaRegistry) -> None:
    total = registry.get("Invoice__c").field("Total__c")
    assert total.calculated and total.formula == "Amount__c * Quantity__c" and not total.createable


def test_validation_rules(registry: SchemaRegistry) -> None:
    rules = {r.name: r for r in registry.get("Invoice__c").validation_rules}
    assert rules["Amount_Not_Negative"].formula == "Amount__c < 0"
    assert rules["Amount_Not_Negative"].error_field == "Amount__c"
    assert rules["Amount_Not_Negative"].error_message == "Amount cannot be negative."
    assert not rules["Inactive_Rule"].active


def test_standard_object_extension(registry: SchemaRegistry) -> None:
    rating = registry.get("Account").field("Rating__c")
    assert rating.type is FieldType.DOUBLE and rating.custom
    assert registry.get("Account").has_field("AnnualRevenue")


def test_roll_ups_geolocations_and_custom_metadata_types_are_schema(registry: SchemaRegistry) -> None:
    invoice = registry.get("Invoice__c")
    line_count = invoice.field("Line_Count__c")
    assert line_count.roll_up is not None and line_count.roll_up.operation == "count"
    assert (line_count.type, line_count.createable, line_count.updateable) == (FieldType.DOUBLE, False, False)
    latitude = invoice.field("Location__Latitude__s")
    assert (latitude.type, latitude.scale) == (FieldType.DOUBLE, 5)
    assert invoice.has_field("Location__Longitude__s")
    widget = registry.get("Widget__mdt")
    assert (widget.createable, widget.updateable, widget.deletable) == (False, False, False)
    assert widget.has_field("DeveloperName") and widget.has_field("QualifiedApiName")


def test_custom_key_prefixes_are_distinct_and_stable(registry: SchemaRegistry) -> None:
    again = SchemaRegistry.load(Path(__file__).parent / "fixtures" / "project")
    for name in ("Invoice__c", "Invoice_Line__c"):
        assert registry.get(name).key_prefix == again.get(name).key_prefix
        assert registry.get(name).key_prefix.startswith("a")
    assert registry.get("Invoice__c").key_prefix != registry.get("Invoice_Line__c").key_prefix


def test_an_object_file_with_a_doctype_is_refused_not_expanded(tmp_path: Path) -> None:
    obj_dir = tmp_path / "force-app" / "main" / "default" / "objects" / "Thing__c"
    obj_dir.mkdir(parents=True)
    (obj_dir / "Thing__c.object-meta.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        '<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Thing &secret;</label>'
        "<fields><fullName>Size__c</fullName><label>Size</label><type>Number</type><precision>5</precision>"
        "<scale>1</scale></fields><fields><fullName>Odd__c</fullName><type>Mystery</type></fields>"
        "</CustomObject>"
    )
    loaded = SchemaRegistry.load(tmp_path)
    assert any("Thing__c.object-meta.xml" in w and "DOCTYPE" in w for w in loaded.warnings), loaded.warnings
    assert not any("root:" in obj.label for obj in loaded.objects())


def test_inline_fields_load_and_unknown_types_warn(tmp_path: Path) -> None:
    obj_dir = tmp_path / "force-app" / "main" / "default" / "objects" / "Thing__c"
    obj_dir.mkdir(parents=True)
    (obj_dir / "Thing__c.object-meta.xml").write_text(
        '<?xml version="1.0"?>\n'
        '<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Thing</label>'
        "<fields><fullName>Size__c</fullName><label>Size</label><type>Number</type><precision>5</precision>"
        "<scale>1</scale></fields><fields><fullName>Odd__c</fullName><type>Mystery</type></fields>"
        "</CustomObject>"
    )
    loaded = SchemaRegistry.load(tmp_path)
    assert loaded.get("Thing__c").field("Size__c").scale == 1
    assert any("Odd__c" in w for w in loaded.warnings)
