"""Update Records (§5.6) and Delete Records (§5.7) against a real store; fault texts per confirmations.md §7."""

from __future__ import annotations

import pytest

from flowforce.engine.interview import InterviewStatus

from .kit import (
    TAIL,
    Harness,
    assign,
    delete,
    fault_catcher,
    flow,
    lookup,
    loop,
    record_var,
    ref,
    text,
    update,
    var,
)

ACCOUNTS = [
    {"Name": "Acme", "Industry": "Banking", "Site": "North"},
    {"Name": "Globex", "Industry": "Banking", "Site": "South"},
    {"Name": "Initech", "Industry": "Technology"},
]


@pytest.fixture
def accounts(h: Harness) -> dict[str, str]:
    ids = h.seed("Account", ACCOUNTS)
    return {a["Name"]: record_id for a, record_id in zip(ACCOUNTS, ids)}


def sites(h: Harness) -> dict[str, str | None]:
    return {row["Name"]: row["Site"] for row in h.query("SELECT Name, Site FROM Account")}


# ----------------------------------------------------------------------------------------------- update


def test_update_from_a_record_variable_writes_every_field_it_holds(h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        record_var("Acc", "Account"),
        lookup("Get_Account", "Account", [("Name", "EqualTo", text("Acme"))], output_reference="Acc",
               queried=["Name", "Industry", "Site"], next_="Change"),
        assign("Change", [("Acc.Site", "Assign", text("West"))], next_="Meanwhile"),
        # The variable still says Banking: updating from it writes that value back.
        update("Meanwhile", "Account", [("Name", "EqualTo", text("Acme"))], {"Industry": text("Energy")},
               next_="Save"),
        update("Save", input_reference="Acc"),
        start="Get_Account",
    )
    run = h.run(xml)
    assert run.one.success
    rows = h.query("SELECT Name, Industry, Site, Description FROM Account WHERE Name = 'Acme'")
    assert rows == [{"Name": "Acme", "Industry": "Banking", "Site": "West", "Description": None}]
    assert sites(h) == {"Acme": "West", "Globex": "South", "Initech": None}


def test_update_from_a_collection_built_in_a_loop_is_one_statement(h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        record_var("Item", "Account"),
        record_var("Changed", "Account", collection=True),
        lookup("Get_Banks", "Account", [("Industry", "EqualTo", text("Banking"))], first_only=False,
               next_="Each"),
        loop("Each", "Get_Banks", "Item", each="Change", after="Save"),
        assign("Change", [("Item.Site", "Assign", text("Bank")), ("Changed", "Add", ref("Item"))], next_="Each"),
        update("Save", input_reference="Changed"),
        start="Get_Banks",
    )
    run = h.run(xml)
    assert run.one.success
    assert (run.limits.soql_queries, run.limits.dml_statements, run.limits.dml_rows) == (1, 1, 2)
    assert sites(h) == {"Acme": "Bank", "Globex": "Bank", "Initech": None}


def test_update_of_a_record_without_id_faults(h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        record_var("Acc", "Account"),
        var("Fault", output=True),
        assign("Build", [("Acc.Name", "Assign", text("No Id"))], next_="Save"),
        update("Save", input_reference="Acc", fault="On_Fault"),
        fault_catcher(),
        start="Build",
    )
    assert h.run(xml).outputs()["Fault"] == (
        "The flow tried to update these records: null. This error occurred: MISSING_ARGUMENT: "
        "Id not specified in an update call. " + TAIL)
    assert sites(h) == {"Acme": "North", "Globex": "South", "Initech": None}


def test_update_by_filters_is_one_query_and_one_statement(h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        var("Industry", input=True),
        update("Save", "Account", [("Industry", "EqualTo", ref("Industry"))], {"Site": text("Changed")}),
        start="Save",
    )
    run = h.run(xml, [{"Industry": "banking"}])
    assert run.one.success
    assert (run.limits.soql_queries, run.limits.dml_statements, run.limits.dml_rows) == (1, 1, 2)
    assert sites(h) == {"Acme": "Changed", "Globex": "Changed", "Initech": None}


def test_update_by_filters_for_many_interviews_updates_each_ones_own_rows(
        h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        var("Wanted", input=True),
        var("NewSite", input=True),
        update("Save", "Account", [("Name", "EqualTo", ref("Wanted"))], {"Site": ref("NewSite")}),
        start="Save",
    )
    run = h.run(xml, [{"Wanted": "acme", "NewSite": "One"}, {"Wanted": "INITECH", "NewSite": "Two"}])
    assert all(result.success for result in run.results)
    assert (run.limits.soql_queries, run.limits.dml_statements) == (1, 1)
    assert sites(h) == {"Acme": "One", "Globex": "South", "Initech": "Two"}


def test_update_by_filters_with_no_match_is_not_an_error(h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        var("Fault", output=True),
        update("Save", "Account", [("Name", "EqualTo", text("Nobody"))], {"Site": text("X")}, fault="On_Fault"),
        fault_catcher(),
        start="Save",
    )
    run = h.run(xml)
    assert run.outputs() == {"Fault": None}
    assert (run.limits.soql_queries, run.limits.dml_statements, run.limits.dml_rows) == (1, 1, 0)
    assert sites(h) == {"Acme": "North", "Globex": "South", "Initech": None}


def test_update_error_from_an_input_reference_uses_format_b(h: Harness, accounts: dict[str, str]) -> None:
    long_site = "s" * 81
    xml = flow(
        record_var("Acc", "Account"),
        var("Fault", output=True),
        lookup("Get_Account", "Account", [("Name", "EqualTo", text("Globex"))], output_reference="Acc",
               queried=["Name"], next_="Change"),
        assign("Change", [("Acc.Site", "Assign", text(long_site))], next_="Save"),
        update("Save", input_reference="Acc", fault="On_Fault"),
        fault_catcher(),
        start="Get_Account",
    )
    assert h.run(xml).outputs()["Fault"] == (
        f"The flow tried to update these records: {accounts['Globex']}. This error occurred: STRING_TOO_LONG: "
        f"Account Site: data value too large: {long_site} (max length=80). " + TAIL)
    assert sites(h)["Globex"] == "South"


def test_update_error_by_filters_uses_format_a(h: Harness, accounts: dict[str, str]) -> None:
    long_site = "s" * 81
    xml = flow(
        var("Fault", output=True),
        update("Save", "Account", [("Name", "EqualTo", text("Globex"))], {"Site": text(long_site)},
               fault="On_Fault"),
        fault_catcher(),
        start="Save",
    )
    assert h.run(xml).outputs()["Fault"] == (
        "This error occurred when the flow tried to update records: STRING_TOO_LONG: "
        f"Account Site: data value too large: {long_site} (max length=80). " + TAIL)


def test_update_failure_without_fault_connector_fails_only_that_interview(
        h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        var("Wanted", input=True),
        var("NewSite", input=True),
        update("Save", "Account", [("Name", "EqualTo", ref("Wanted"))], {"Site": ref("NewSite")}),
        start="Save",
    )
    run = h.run(xml, [{"Wanted": "Acme", "NewSite": "s" * 81}, {"Wanted": "Globex", "NewSite": "Fine"}])
    failed, ok = run.results
    assert failed.status is InterviewStatus.ERROR and ok.success
    assert failed.failure.message.startswith("This error occurred when the flow tried to update records: "
                                             "STRING_TOO_LONG: ")
    assert sites(h) == {"Acme": "North", "Globex": "Fine", "Initech": None}


# ----------------------------------------------------------------------------------------------- delete


def after_delete(*elements: str, first: str, body: tuple[str, ...] = ()) -> str:
    """*elements* delete something, then `Get_After` reads every Account's Name into `Left`."""
    return flow(
        record_var("Left", "Account", collection=True),
        *body,
        *elements,
        lookup("Get_After", "Account", [], first_only=False, output_reference="Left", queried=["Name"]),
        start=first,
    )


def left(run_outputs: dict) -> set[str] | None:
    value = run_outputs["Left"]
    return None if value is None else {record["Name"] for record in value}


def test_delete_a_record_variable(h: Harness, accounts: dict[str, str]) -> None:
    xml = after_delete(
        lookup("Get_Account", "Account", [("Name", "EqualTo", text("Acme"))], next_="Remove"),
        delete("Remove", input_reference="Get_Account", next_="Get_After"),
        first="Get_Account",
    )
    run = h.run(xml)
    assert left(run.outputs()) == {"Globex", "Initech"}
    assert set(sites(h)) == {"Globex", "Initech"}
    assert (run.limits.soql_queries, run.limits.dml_statements, run.limits.dml_rows) == (2, 1, 1)


def test_delete_a_record_collection(h: Harness, accounts: dict[str, str]) -> None:
    xml = after_delete(
        lookup("Get_Banks", "Account", [("Industry", "EqualTo", text("Banking"))], first_only=False,
               next_="Remove"),
        delete("Remove", input_reference="Get_Banks", next_="Get_After"),
        first="Get_Banks",
    )
    run = h.run(xml)
    assert left(run.outputs()) == {"Initech"}
    assert set(sites(h)) == {"Initech"}
    assert (run.limits.dml_statements, run.limits.dml_rows) == (1, 2)


def test_delete_by_a_collection_of_ids(h: Harness, accounts: dict[str, str]) -> None:
    xml = after_delete(
        delete("Remove", input_reference="Ids", next_="Get_After"),
        first="Remove",
        body=(var("Ids", collection=True, input=True),),
    )
    run = h.run(xml, [{"Ids": [accounts["Globex"], accounts["Initech"]]}])
    assert left(run.outputs()) == {"Acme"}
    assert set(sites(h)) == {"Acme"}


def test_delete_by_filters_is_one_query_and_one_statement(h: Harness, accounts: dict[str, str]) -> None:
    xml = after_delete(
        delete("Remove", "Account", [("Site", "IsNull", "<booleanValue>false</booleanValue>")], next_="Get_After"),
        first="Remove",
    )
    run = h.run(xml)
    assert left(run.outputs()) == {"Initech"}
    assert (run.limits.soql_queries, run.limits.dml_statements, run.limits.dml_rows) == (2, 1, 2)
    assert set(sites(h)) == {"Initech"}


def test_delete_everything_then_get_records_finds_null(h: Harness, accounts: dict[str, str]) -> None:
    xml = after_delete(delete("Remove", "Account", [], next_="Get_After"), first="Remove")
    assert h.run(xml).outputs()["Left"] is None
    assert h.count("Account") == 0


def test_delete_by_filters_with_no_match_still_counts_one_statement(h: Harness, accounts: dict[str, str]) -> None:
    xml = after_delete(
        delete("Remove", "Account", [("Name", "EqualTo", text("Nobody"))], next_="Get_After"), first="Remove")
    run = h.run(xml)
    assert left(run.outputs()) == {"Acme", "Globex", "Initech"}
    assert (run.limits.dml_statements, run.limits.dml_rows) == (1, 0)


def test_deleting_an_already_deleted_record_faults_with_the_delete_message(
        h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        var("Fault", output=True),
        var("Ids", collection=True, input=True),
        delete("Remove", input_reference="Ids", next_="Again"),
        delete("Again", input_reference="Ids", fault="On_Fault"),
        fault_catcher(),
        start="Remove",
    )
    fault = h.run(xml, [{"Ids": [accounts["Acme"]]}]).outputs()["Fault"]
    assert fault.startswith("This error occurred when the flow tried to delete records: ENTITY_IS_DELETED: ")
    assert fault.endswith(TAIL)
    assert set(sites(h)) == {"Globex", "Initech"}
