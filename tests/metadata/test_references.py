"""The resource namespace: what each name a reference can start with denotes."""

from __future__ import annotations

import pytest

from flowforce.metadata.references import (
    ResourceIndex,
    ResourceKind,
    merge_field_references,
    split_reference,
)

from .metadata_helpers import load_fixture


@pytest.fixture(scope="module")
def index() -> ResourceIndex:
    return ResourceIndex.for_flow(load_fixture("Every_Element"))


def test_split_reference_keeps_double_underscore_names_whole() -> None:
    assert split_reference("$Record__Prior.Account__r.Name__c") == ("$Record__Prior", "Account__r", "Name__c")
    assert split_reference(" {!rec.Name} ") == ("rec", "Name")
    assert split_reference("") == ()


def test_merge_field_references_only_takes_well_formed_paths() -> None:
    text = "Hi {!name}, {! $User.FirstName }: {!not valid} {!} {!Get_Account.Owner.Email}"
    assert merge_field_references(text) == ["name", "$User.FirstName", "Get_Account.Owner.Email"]
    assert merge_field_references(None) == []


def test_names_resolve_case_insensitively(index: ResourceIndex) -> None:
    info = index.lookup("TOTAL")
    assert info is not None and (info.name, info.kind, info.data_type) == ("total", ResourceKind.VARIABLE, "Number")


def test_get_records_with_automatic_output_is_a_record_collection(index: ResourceIndex) -> None:
    info = index.lookup("Get_Accounts")
    assert info is not None
    assert (info.kind, info.data_type, info.object_type, info.is_collection) == (
        ResourceKind.RECORD_LOOKUP,
        "SObject",
        "Account",
        True,
    )


def test_collection_filter_and_loop_take_their_source_type(index: ResourceIndex) -> None:
    filtered, item = index.lookup("Filter_Big"), index.lookup("Loop_Accounts")
    assert filtered is not None and (filtered.object_type, filtered.is_collection) == ("Account", True)
    assert item is not None and (item.kind, item.object_type, item.is_collection) == (
        ResourceKind.LOOP_ITEM,
        "Account",
        False,
    )


def test_fields_of_record_resources_are_field_references(index: ResourceIndex) -> None:
    info = index.lookup("Loop_Accounts.Owner.Email")
    assert info is not None
    assert (info.kind, info.object_type, info.field_path) == (ResourceKind.FIELD, "Account", ("Owner", "Email"))


def test_outcomes_and_wait_events_are_booleans(index: ResourceIndex) -> None:
    for name, kind in (("Big", ResourceKind.OUTCOME), ("Three_Days", ResourceKind.WAIT_EVENT)):
        info = index.lookup(name)
        assert info is not None and (info.kind, info.data_type) == (kind, "Boolean")


def test_create_records_output_is_the_new_id(index: ResourceIndex) -> None:
    info = index.lookup("Create_Task")
    assert info is not None and (info.kind, info.data_type) == (ResourceKind.CREATED_ID, "String")


def test_action_outputs_accept_any_field(index: ResourceIndex) -> None:
    info = index.lookup("Notify.anything_at_all")
    assert info is not None and info.kind is ResourceKind.ACTION_OUTPUT


@pytest.mark.parametrize(
    ("path", "data_type"),
    [
        ("$Flow.CurrentDate", "Date"),
        ("$Flow.InterviewGuid", "String"),
        ("$Flow.ActiveStages", "String"),
        ("$GlobalConstant.EmptyString", "String"),
        ("$System.OriginDateTime", "DateTime"),
        ("$User.Email", None),
        ("$Label.Anything", None),
        ("$Setup.My_Setting__c.Field__c", None),
    ],
)
def test_globals_resolve(index: ResourceIndex, path: str, data_type: str | None) -> None:
    info = index.lookup(path)
    assert info is not None and info.data_type == data_type


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("$Flow.Nope", "$Flow.Nope is not a $Flow variable"),
        ("$Flow", "$Flow needs a member, like $Flow.CurrentDate"),
        ("$Nope.X", "$Nope is not a global variable"),
        ("total.Name", "total is a Number variable without fields, so total.Name does not exist"),
        ("Get_Accounts.Name", "Get_Accounts is a collection, so Get_Accounts.Name needs a loop over its items"),
        ("Is_Big", "Is_Big is an element that stores no output a reference can use"),
        (
            "$Record.Name",
            "$Record is only available when the flow is started by a record (record-triggered, "
            "scheduled on an object, or platform event)",
        ),
    ],
)
def test_unresolved_references_say_why(index: ResourceIndex, path: str, reason: str) -> None:
    assert index.lookup(path) is None
    assert index.resolve(path) == reason


def test_record_globals_follow_the_start_object() -> None:
    flow = load_fixture("No_Start")  # record-triggered on Account
    index = ResourceIndex.for_flow(flow)
    record, prior = index.lookup("$Record"), index.lookup("$Record__Prior.Name")
    assert record is not None and (record.object_type, record.writable) == ("Account", True)
    assert prior is not None and (prior.object_type, prior.writable) == ("Account", False)
