"""Create Records (reference/flow-metadata.md §5.5, §7.2; confirmations.md §3c, §7) against a real store."""

from __future__ import annotations

import pytest

from flowforce.engine.interview import InterviewStatus
from flowforce.records.ids import is_id

from .kit import (
    TAIL,
    Harness,
    assign,
    create,
    fault_catcher,
    flow,
    record_var,
    ref,
    rollback,
    text,
    var,
)

MISSING_LAST_NAME = ("This error occurred when the flow tried to create records: REQUIRED_FIELD_MISSING: "
                     "Required fields are missing: [LastName]. " + TAIL)


def test_input_assignments_with_automatic_output_store_the_new_id(h: Harness) -> None:
    xml = flow(
        var("Last", input=True),
        var("NewId", output=True),
        create("Create_Contact", "Contact", {"LastName": ref("Last"), "Title": text("CTO")}, next_="Copy"),
        assign("Copy", [("NewId", "Assign", ref("Create_Contact"))]),
        start="Create_Contact",
    )
    run = h.run(xml, [{"Last": "Smith"}])
    new_id = run.outputs()["NewId"]
    assert is_id(new_id) and new_id.startswith("003")
    assert h.query("SELECT Id, LastName, Title FROM Contact") == [
        {"Id": new_id, "LastName": "Smith", "Title": "CTO"}]
    assert (run.limits.dml_statements, run.limits.dml_rows, run.limits.soql_queries) == (1, 1, 0)


def test_assign_record_id_to_reference(h: Harness) -> None:
    xml = flow(
        var("NewId", output=True),
        create("Create_Account", "Account", {"Name": text("Acme")}, assign_id_to="NewId"),
        start="Create_Account",
    )
    new_id = h.run(xml).outputs()["NewId"]
    assert h.query("SELECT Id, Name FROM Account") == [{"Id": new_id, "Name": "Acme"}]


def test_from_a_record_variable_fills_its_id(h: Harness) -> None:
    xml = flow(
        record_var("Person", "Contact"),
        assign("Build", [("Person.LastName", "Assign", text("Jones")),
                         ("Person.Email", "Assign", text("jones@example.com"))], next_="Create_Contact"),
        create("Create_Contact", input_reference="Person"),
        start="Build",
    )
    person = h.run(xml).outputs()["Person"]
    assert is_id(person["Id"])
    assert h.query("SELECT Id, LastName, Email FROM Contact") == [
        {"Id": person["Id"], "LastName": "Jones", "Email": "jones@example.com"}]


def test_from_a_record_collection_fills_every_id_in_one_statement(h: Harness) -> None:
    xml = flow(
        record_var("People", "Contact", collection=True, input=True),
        create("Create_Contacts", input_reference="People"),
        start="Create_Contacts",
    )
    run = h.run(xml, [{"People": [{"LastName": "A"}, {"LastName": "B"}, {"LastName": "C"}]}])
    people = run.outputs()["People"]
    assert [p["LastName"] for p in people] == ["A", "B", "C"]
    assert all(is_id(p["Id"]) for p in people) and len({p["Id"] for p in people}) == 3
    stored = {row["Id"]: row["LastName"] for row in h.query("SELECT Id, LastName FROM Contact")}
    assert stored == {p["Id"]: p["LastName"] for p in people}
    assert (run.limits.dml_statements, run.limits.dml_rows) == (1, 3)


@pytest.mark.parametrize("people", [[], None], ids=["empty", "unset"])
def test_empty_or_unset_collection_still_counts_one_dml_statement(h: Harness, people: list | None) -> None:
    xml = flow(
        record_var("People", "Contact", collection=True, input=True),
        var("Done", "Boolean", output=True),
        create("Create_Contacts", input_reference="People", next_="Mark"),
        assign("Mark", [("Done", "Assign", "<booleanValue>true</booleanValue>")]),
        start="Create_Contacts",
    )
    run = h.run(xml, [{"People": people}])
    assert run.outputs()["Done"] is True
    assert (run.limits.dml_statements, run.limits.dml_rows) == (1, 0)
    assert h.count("Contact") == 0


def contact_flow(*, fault: bool, last_name: str = "Last") -> str:
    """Create an Account, then a Contact for it (LastName from input), copying a fault message if any."""
    return flow(
        var("Company", input=True),
        var("Last", input=True),
        var("Fault", output=True),
        var("ContactId", output=True),
        create("Create_Account", "Account", {"Name": ref("Company")}, next_="Create_Contact"),
        create("Create_Contact", "Contact", {"LastName": ref(last_name), "AccountId": ref("Create_Account")},
               assign_id_to="ContactId", fault="On_Fault" if fault else None),
        fault_catcher(),
        start="Create_Account",
    )


def test_required_field_missing_follows_the_fault_connector_with_the_exact_message(h: Harness) -> None:
    run = h.run(contact_flow(fault=True), [{"Company": "Acme", "Last": None}])
    outputs = run.outputs()
    assert outputs["Fault"] == MISSING_LAST_NAME
    assert outputs["ContactId"] is None
    # A fault path doesn't roll anything back: the Account created before stays.
    assert [row["Name"] for row in h.query("SELECT Name FROM Account")] == ["Acme"]
    assert h.count("Contact") == 0


def test_string_too_long_message(h: Harness) -> None:
    long_name = "x" * 81
    run = h.run(contact_flow(fault=True), [{"Company": "Acme", "Last": long_name}])
    assert run.outputs()["Fault"] == (
        "This error occurred when the flow tried to create records: STRING_TOO_LONG: "
        f"Last Name: data value too large: {long_name} (max length=80). " + TAIL)


def test_only_the_failing_interview_faults_in_a_bulk_create(h: Harness) -> None:
    inputs = [{"Company": "A", "Last": "Ok"}, {"Company": "B", "Last": None}, {"Company": "C", "Last": "Fine"}]
    run = h.run(contact_flow(fault=True), inputs)
    assert [run.outputs(i)["Fault"] for i in range(3)] == [None, MISSING_LAST_NAME, None]
    assert (run.limits.dml_statements, run.limits.soql_queries) == (2, 0)
    contacts = h.query("SELECT Id, LastName, Account.Name FROM Contact ORDER BY LastName")
    assert [(c["LastName"], c["Account"]["Name"]) for c in contacts] == [("Fine", "C"), ("Ok", "A")]
    assert {c["Id"] for c in contacts} == {run.outputs(0)["ContactId"], run.outputs(2)["ContactId"]}


def test_without_fault_connector_the_failed_interviews_records_are_rolled_back_others_kept(h: Harness) -> None:
    inputs = [{"Company": "A", "Last": "Ok"}, {"Company": "B", "Last": None}, {"Company": "C", "Last": "Fine"}]
    run = h.run(contact_flow(fault=False), inputs)
    ok_a, failed, ok_c = run.results
    assert ok_a.success and ok_c.success
    assert failed.status is InterviewStatus.ERROR
    assert failed.failure.element == "Create_Contact"
    assert failed.failure.message == MISSING_LAST_NAME
    assert run.batch.attempts == 2
    # Account "B" was created before the failing element; it went with its interview.
    assert sorted(row["Name"] for row in h.query("SELECT Name FROM Account")) == ["A", "C"]
    contacts = h.query("SELECT Id, LastName FROM Contact")
    assert {c["Id"] for c in contacts} == {ok_a.outputs["ContactId"], ok_c.outputs["ContactId"]}


def test_roll_back_records_on_the_fault_path_undoes_earlier_creates(h: Harness) -> None:
    xml = flow(
        var("Fault", output=True),
        var("LogId", output=True),
        create("Create_Account", "Account", {"Name": text("Doomed")}, next_="Create_Contact"),
        create("Create_Contact", "Contact", {"FirstName": text("No Last Name")}, fault="On_Fault"),
        fault_catcher(next_="Undo"),
        rollback("Undo", next_="Create_Log"),
        create("Create_Log", "Account", {"Name": text("Logged after rollback")}, assign_id_to="LogId"),
        start="Create_Account",
    )
    run = h.run(xml)
    assert run.outputs()["Fault"] == MISSING_LAST_NAME
    assert h.query("SELECT Id, Name FROM Account") == [{"Id": run.outputs()["LogId"], "Name": "Logged after rollback"}]
    assert h.count("Contact") == 0
