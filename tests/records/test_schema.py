"""The standard objects and the SFDX loader produce the describe-level facts flows and clients rely on."""

from __future__ import annotations

import pytest

from flowforce.records.errors import InvalidFieldError, InvalidTypeError
from flowforce.records.schema import FieldType, SchemaRegistry

STANDARD = [
    "Account", "Contact", "Lead", "Opportunity", "Case", "Task", "Event", "User", "Profile", "PermissionSet",
    "Group", "Organization", "RecordType", "Individual", "ContactPointEmail", "ContactPointPhone", "FeedItem",
    "FeedComment", "EmailMessage",
]  # fmt: skip


@pytest.fixture(scope="module")
def standard() -> SchemaRegistry:
    return SchemaRegistry.standard()


@pytest.mark.parametrize("name", STANDARD)
def test_standard_objects_carry_system_fields(standard: SchemaRegistry, name: str) -> None:
    obj = standard.get(name)
    for field in ("Id", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
                  "IsDeleted"):
        assert obj.has_field(field)
        assert not obj.field(field).createable
    assert standard.by_key_prefix(obj.key_prefix) is obj


def test_lookups_are_case_insensitive(standard: SchemaRegistry) -> None:
    account = standard.get("account")
    assert account.name == "Account"
    assert account.field("annualrevenue").name == "AnnualRevenue"
    assert account.field("AnnualRevenue").type is FieldType.CURRENCY
    assert standard.get("Contact").parent_relationship("account").name == "AccountId"
    assert standard.get("Contact").parent_relationship("Owner").reference_to == ("User", "Group")


def test_unknown_field_message_is_salesforces(standard: SchemaRegistry) -> None:
    with pytest.raises(InvalidFieldError) as caught:
        standard.get("Account").field("Foo")
    assert caught.value.status_code == "INVALID_FIELD"
    assert caught.value.message.startswith("No such column 'Foo' on entity 'Account'.")


def test_unknown_object_message_is_salesforces(standard: SchemaRegistry) -> None:
    with pytest.raises(InvalidTypeError) as caught:
        standard.get("Foo")
    assert caught.value.status_code == "INVALID_TYPE"
    assert caught.value.message.startswith("sObject type 'Foo' is not supported.")


def test_required_is_derived_from_nillable_and_default(standard: SchemaRegistry) -> None:
    assert standard.get("Contact").field("LastName").required
    assert not standard.get("Contact").field("FirstName").required
    lead_status = standard.get("Lead").field("Status")
    assert not lead_status.nillable and not lead_status.required  # it has a default
    assert not standard.get("Account").field("OwnerId").required  # defaults to the running user


def test_child_relationships_point_back_at_their_fields(standard: SchemaRegistry) -> None:
    contacts = standard.get("Account").child_relationship("contacts")
    assert (contacts.child_sobject, contacts.field, contacts.cascade_delete) == ("Contact", "AccountId", True)
    assert standard.get("Contact").child_relationship("Tasks").field == "WhoId"


def test_formula_field_has_no_column(standard: SchemaRegistry) -> None:
    expected = standard.get("Opportunity").field("ExpectedRevenue")
    assert expected.calculated and not expected.stored and not expected.createable
