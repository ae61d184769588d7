"""Get Records (reference/flow-metadata.md §5.4, confirmations.md §6a/§7) against a real store."""

from __future__ import annotations

from typing import Any

import pytest

from flowforce.engine.interview import InterviewStatus
from flowforce.records.ids import to_15

from .kit import (
    Filter,
    Harness,
    assign,
    boolean,
    fault_catcher,
    flow,
    lookup,
    num,
    record_var,
    ref,
    text,
    var,
)

ACCOUNTS = [
    {"Name": "Acme", "Industry": "Banking", "NumberOfEmployees": 100, "Site": "North"},
    {"Name": "Acme Labs", "Industry": "Technology", "NumberOfEmployees": 50},
    {"Name": "Globex", "Industry": "Banking", "NumberOfEmployees": 500, "Site": "South"},
    {"Name": "Initech", "Industry": "Technology", "NumberOfEmployees": 10},
    {"Name": "Umbrella", "NumberOfEmployees": 1000, "Site": "North"},
]
ALL = {a["Name"] for a in ACCOUNTS}


@pytest.fixture
def accounts(h: Harness) -> dict[str, str]:
    ids = h.seed("Account", ACCOUNTS)
    return {a["Name"]: record_id for a, record_id in zip(ACCOUNTS, ids)}


def names(value: Any) -> set[str] | None:
    return None if value is None else {record["Name"] for record in value}


def find_accounts(h: Harness, filters: list[Filter], *, logic: str = "and",
                  inputs: dict[str, Any] | None = None, extra: tuple[str, ...] = ()) -> Any:
    """Run a collection Get Records with *filters* into `Found` (Name queried); its value."""
    xml = flow(
        record_var("Found", "Account", collection=True),
        var("Words", collection=True, input=True),
        var("Word", input=True),
        var("Ids", collection=True, input=True),
        *extra,
        lookup("Get_Accounts", "Account", filters, logic=logic, first_only=False,
               output_reference="Found", queried=["Name"]),
        start="Get_Accounts",
    )
    run = h.run(xml, [inputs or {}])
    assert run.limits.soql_queries == 1
    return run.outputs()["Found"]


OPERATOR_CASES = [
    pytest.param([("Name", "EqualTo", text("aCmE"))], {"Acme"}, id="EqualTo-case-insensitive"),
    pytest.param([("Name", "NotEqualTo", text("ACME"))], ALL - {"Acme"}, id="NotEqualTo"),
    pytest.param([("NumberOfEmployees", "GreaterThan", num(100))], {"Globex", "Umbrella"}, id="GreaterThan"),
    pytest.param([("NumberOfEmployees", "LessThan", num(100))], {"Acme Labs", "Initech"}, id="LessThan"),
    pytest.param([("NumberOfEmployees", "GreaterThanOrEqualTo", num(100))], {"Acme", "Globex", "Umbrella"},
                 id="GreaterThanOrEqualTo"),
    pytest.param([("NumberOfEmployees", "LessThanOrEqualTo", num(50))], {"Acme Labs", "Initech"},
                 id="LessThanOrEqualTo"),
    pytest.param([("Name", "StartsWith", text("acme"))], {"Acme", "Acme Labs"}, id="StartsWith"),
    pytest.param([("Name", "EndsWith", text("TECH"))], {"Initech"}, id="EndsWith"),
    pytest.param([("Name", "Contains", text("lab"))], {"Acme Labs"}, id="Contains"),
    pytest.param([("Name", "Contains", text("%"))], None, id="Contains-percent-is-literal"),
    pytest.param([("Site", "IsNull", boolean(True))], {"Acme Labs", "Initech"}, id="IsNull-true"),
    pytest.param([("Site", "IsNull", boolean(False))], {"Acme", "Globex", "Umbrella"}, id="IsNull-false"),
    pytest.param([("Industry", "EqualTo", text("banking"))], {"Acme", "Globex"}, id="EqualTo-picklist"),
]


@pytest.mark.parametrize(("filters", "expected"), OPERATOR_CASES)
def test_filter_operators(h: Harness, accounts: dict[str, str], filters: list[Filter],
                          expected: set[str] | None) -> None:
    assert names(find_accounts(h, filters)) == expected


def test_in_and_not_in_with_collections(h: Harness, accounts: dict[str, str]) -> None:
    words = {"Words": ["ACME", "globex", "Nobody"]}
    assert names(find_accounts(h, [("Name", "In", ref("Words"))], inputs=words)) == {"Acme", "Globex"}
    assert names(find_accounts(h, [("Name", "NotIn", ref("Words"))], inputs=words)) == \
        {"Acme Labs", "Initech", "Umbrella"}


def test_in_empty_collection_matches_nothing_and_not_in_empty_matches_everything(
        h: Harness, accounts: dict[str, str]) -> None:
    assert find_accounts(h, [("Name", "In", ref("Words"))], inputs={"Words": []}) is None
    assert names(find_accounts(h, [("Name", "NotIn", ref("Words"))], inputs={"Words": []})) == ALL


def test_custom_filter_logic(h: Harness, accounts: dict[str, str]) -> None:
    filters: list[Filter] = [("Industry", "EqualTo", text("Technology")),
                             ("NumberOfEmployees", "LessThan", num(20)),
                             ("Name", "Contains", text("Glob"))]
    assert names(find_accounts(h, filters, logic="1 AND (2 OR 3)")) == {"Initech"}
    assert names(find_accounts(h, filters, logic="(1 AND 2) OR 3")) == {"Initech", "Globex"}
    assert names(find_accounts(h, filters, logic="or")) == {"Acme Labs", "Initech", "Globex"}


def test_no_filters_returns_every_record(h: Harness, accounts: dict[str, str]) -> None:
    assert names(find_accounts(h, [])) == ALL


def test_fifteen_character_ids_as_filter_values(h: Harness, accounts: dict[str, str]) -> None:
    short = to_15(accounts["Globex"])
    assert len(short) == 15
    assert names(find_accounts(h, [("Id", "EqualTo", ref("Word"))], inputs={"Word": short})) == {"Globex"}
    ids = {"Ids": [to_15(accounts["Acme"]), accounts["Initech"]]}
    assert names(find_accounts(h, [("Id", "In", ref("Ids"))], inputs=ids)) == {"Acme", "Initech"}


# ----------------------------------------------------------------------------------------- sorting, limits


def sorted_names(h: Harness, order: str, *, first_only: bool = False, limit: str | None = None) -> Any:
    out = "First" if first_only else "Found"
    xml = flow(
        record_var("Found", "Account", collection=True),
        record_var("First", "Account"),
        lookup("Get_Accounts", "Account", [("NumberOfEmployees", "GreaterThan", num(0))], first_only=first_only,
               sort=("NumberOfEmployees", order), limit=limit, output_reference=out, queried=["Name"]),
        start="Get_Accounts",
    )
    value = h.run(xml).outputs()[out]
    return value["Name"] if first_only else [record["Name"] for record in value]


def test_sort_ascending_and_descending(h: Harness, accounts: dict[str, str]) -> None:
    assert sorted_names(h, "Asc") == ["Initech", "Acme Labs", "Acme", "Globex", "Umbrella"]
    assert sorted_names(h, "Desc") == ["Umbrella", "Globex", "Acme", "Acme Labs", "Initech"]


def test_get_first_record_only_takes_the_first_in_sort_order(h: Harness, accounts: dict[str, str]) -> None:
    assert sorted_names(h, "Desc", first_only=True) == "Umbrella"
    assert sorted_names(h, "Asc", first_only=True) == "Initech"


def test_limit(h: Harness, accounts: dict[str, str]) -> None:
    assert sorted_names(h, "Asc", limit=num(2)) == ["Initech", "Acme Labs"]


def test_limit_is_per_interview_when_interviews_ask_different_questions(
        h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        var("Prefix", input=True),
        record_var("Found", "Account", collection=True),
        lookup("Get_Accounts", "Account", [("Name", "StartsWith", ref("Prefix"))], first_only=False,
               sort=("NumberOfEmployees", "Desc"), limit=num(1), output_reference="Found", queried=["Name"]),
        start="Get_Accounts",
    )
    run = h.run(xml, [{"Prefix": "Acme"}, {"Prefix": "I"}, {"Prefix": ""}])
    assert run.limits.soql_queries == 1
    assert [[r["Name"] for r in run.outputs(i)["Found"]] for i in range(3)] == [["Acme"], ["Initech"], ["Umbrella"]]


# ----------------------------------------------------------------------------------------- output styles


def test_store_output_automatically_queries_every_field(h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        record_var("Out", "Account"),
        var("Industry", output=True),
        lookup("Get_Account", "Account", [("Name", "EqualTo", text("Globex"))], next_="Copy"),
        assign("Copy", [("Out", "Assign", ref("Get_Account")),
                        ("Industry", "Assign", ref("Get_Account.Industry"))]),
        start="Get_Account",
    )
    outputs = h.run(xml).outputs()
    record = outputs["Out"]
    assert record["Id"] == accounts["Globex"]
    assert record["Site"] == "South"
    assert record["NumberOfEmployees"] == 500
    assert "Phone" in record and record["Phone"] is None  # queried although never set
    assert record["CreatedDate"] is not None
    assert outputs["Industry"] == "Banking"


def test_output_reference_with_queried_fields_holds_only_those_and_id(
        h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        record_var("Acc", "Account"),
        lookup("Get_Account", "Account", [("Name", "EqualTo", text("Globex"))], output_reference="Acc",
               queried=["Name", "Site"]),
        start="Get_Account",
    )
    record = h.run(xml).outputs()["Acc"]
    assert {key.lower() for key in record} == {"id", "name", "site"}
    assert record["Id"] == accounts["Globex"]
    assert record["Site"] == "South"


def test_reading_an_unqueried_field_fails_the_interview(h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        record_var("Acc", "Account"),
        var("Industry", output=True),
        lookup("Get_Account", "Account", [("Name", "EqualTo", text("Globex"))], output_reference="Acc",
               queried=["Name"], next_="Copy"),
        assign("Copy", [("Industry", "Assign", ref("Acc.Industry"))]),
        start="Get_Account",
    )
    result = h.run(xml).one
    assert result.status is InterviewStatus.ERROR
    assert result.failure.element == "Copy"


def assignments_flow(assign_null: bool) -> str:
    return flow(
        var("Wanted", input=True),
        var("AccName", output=True, default=text("unchanged")),
        var("AccSite", output=True, default=text("unchanged")),
        var("AccId", output=True, default=text("unchanged")),
        lookup("Get_Account", "Account", [("Name", "EqualTo", ref("Wanted"))],
               assignments={"Name": "AccName", "Site": "AccSite", "Id": "AccId"}, assign_null=assign_null),
        start="Get_Account",
    )


@pytest.mark.parametrize("assign_null", [True, False])
def test_output_assignments_copy_fields_of_the_first_record(
        h: Harness, accounts: dict[str, str], assign_null: bool) -> None:
    run = h.run(assignments_flow(assign_null), [{"Wanted": "globex"}])
    assert run.outputs() == {"AccName": "Globex", "AccSite": "South", "AccId": accounts["Globex"]}


def test_output_assignments_without_match_and_assign_null_true_set_nulls(
        h: Harness, accounts: dict[str, str]) -> None:
    run = h.run(assignments_flow(True), [{"Wanted": "Nobody"}])
    assert run.outputs() == {"AccName": None, "AccSite": None, "AccId": None}


def test_output_assignments_without_match_and_assign_null_false_keep_values(
        h: Harness, accounts: dict[str, str]) -> None:
    run = h.run(assignments_flow(False), [{"Wanted": "Nobody"}])
    assert run.outputs() == {"AccName": "unchanged", "AccSite": "unchanged", "AccId": "unchanged"}


@pytest.mark.parametrize("first_only", [True, False])
def test_no_match_leaves_null_for_single_and_collection(
        h: Harness, accounts: dict[str, str], first_only: bool) -> None:
    xml = flow(
        record_var("Out", "Account", collection=not first_only),
        var("WasNull", "Boolean", output=True),
        lookup("Get_Account", "Account", [("Name", "EqualTo", text("Nobody"))], first_only=first_only,
               next_="Copy"),
        assign("Copy", [("Out", "Assign", ref("Get_Account"))], next_="Check"),
        "<decisions><name>Check</name><label>Check</label><locationX>0</locationX><locationY>0</locationY>"
        "<defaultConnector><targetReference>Not_Null</targetReference></defaultConnector>"
        "<defaultConnectorLabel>Default</defaultConnectorLabel><rules><name>Is_Null</name>"
        "<conditionLogic>and</conditionLogic><conditions><leftValueReference>Get_Account</leftValueReference>"
        f"<operator>IsNull</operator><rightValue>{boolean(True)}</rightValue></conditions>"
        "<connector><targetReference>Null</targetReference></connector><label>Null</label></rules></decisions>",
        assign("Null", [("WasNull", "Assign", boolean(True))]),
        assign("Not_Null", [("WasNull", "Assign", boolean(False))]),
        start="Get_Account",
    )
    assert h.run(xml).outputs() == {"Out": None, "WasNull": True}


# ----------------------------------------------------------------------------------------- faults


def bad_id_flow(fault: bool) -> str:
    return flow(
        var("Wanted", input=True),
        var("Found", output=True),
        var("Fault", output=True),
        lookup("Get_Account", "Account", [("Id", "EqualTo", ref("Wanted"))], next_="Copy",
               fault="On_Fault" if fault else None),
        assign("Copy", [("Found", "Assign", ref("Get_Account.Name"))]),
        fault_catcher(),
        start="Get_Account",
    )


def test_an_invalid_id_faults_only_its_interview(h: Harness, accounts: dict[str, str]) -> None:
    run = h.run(bad_id_flow(fault=True), [{"Wanted": accounts["Acme"]}, {"Wanted": "not-an-id"},
                                          {"Wanted": to_15(accounts["Globex"])}])
    assert run.outputs(0) == {"Found": "Acme", "Fault": None}
    assert run.outputs(2) == {"Found": "Globex", "Fault": None}
    faulted = run.outputs(1)
    assert faulted["Found"] is None
    assert faulted["Fault"].startswith("This error occurred when the flow tried to look up records: ")
    assert "not-an-id" in faulted["Fault"]


def test_an_invalid_id_without_fault_connector_fails_the_interview(
        h: Harness, accounts: dict[str, str]) -> None:
    run = h.run(bad_id_flow(fault=False), [{"Wanted": "not-an-id"}, {"Wanted": accounts["Initech"]}])
    failed, ok = run.results
    assert failed.status is InterviewStatus.ERROR
    assert failed.failure.element == "Get_Account"
    assert failed.failure.message.startswith("This error occurred when the flow tried to look up records: ")
    assert ok.outputs["Found"] == "Initech"


def test_an_unknown_field_faults_with_the_look_up_message(h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        var("Fault", output=True),
        lookup("Get_Account", "Account", [("No_Such_Field__c", "EqualTo", text("x"))], fault="On_Fault"),
        fault_catcher(),
        start="Get_Account",
    )
    message = h.run(xml).outputs()["Fault"]
    assert message.startswith("This error occurred when the flow tried to look up records: ")
    assert "No_Such_Field__c" in message


# ----------------------------------------------------------------------------------------- bulk questions

BULK_CASES = [
    ("Name", "EqualTo", "Word", ["ACME", "globex", "nobody", None]),
    ("Site", "NotEqualTo", "Word", ["north", "SOUTH", None]),
    ("Name", "StartsWith", "Word", ["acme", "G", "x_", ""]),
    ("Name", "EndsWith", "Word", ["LABS", "ex", "%"]),
    ("Name", "Contains", "Word", ["ME", "b", "_"]),
    ("NumberOfEmployees", "GreaterThan", "Count", [50, 500, 0]),
    ("NumberOfEmployees", "LessThanOrEqualTo", "Count", [50, 500, 0]),
    ("Site", "IsNull", "Flag", [True, False]),
    ("Name", "In", "Words", [["acme", "Initech"], [], ["UMBRELLA"]]),
    ("Name", "NotIn", "Words", [["acme", "Initech"], [], ["UMBRELLA"]]),
    ("Id", "EqualTo", "Word", ["@Acme15", "@Globex", "@Initech15"]),
]


@pytest.mark.parametrize(("field", "operator", "variable", "values"), BULK_CASES,
                         ids=[f"{c[1]}-{c[0]}" for c in BULK_CASES])
def test_interviews_asking_different_values_share_one_query_and_get_their_own_rows(
        h: Harness, accounts: dict[str, str], field: str, operator: str, variable: str, values: list[Any]) -> None:
    def resolve(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("@"):
            name = value[1:].removesuffix("15")
            return to_15(accounts[name]) if value.endswith("15") else accounts[name]
        return value

    xml = flow(
        var("Word", input=True), var("Words", collection=True, input=True),
        var("Count", "Number", input=True, scale=0), var("Flag", "Boolean", input=True),
        record_var("Found", "Account", collection=True),
        lookup("Get_Accounts", "Account", [(field, operator, ref(variable))], first_only=False,
               output_reference="Found", queried=["Name"]),
        start="Get_Accounts",
    )
    inputs = [{variable: resolve(value)} for value in values]
    together = h.run(xml, inputs)
    assert together.limits.soql_queries == 1
    alone = [names(h.run(xml, [one]).outputs()["Found"]) for one in inputs]
    assert [names(together.outputs(i)["Found"]) for i in range(len(inputs))] == alone
    assert len({frozenset(a or ()) for a in alone}) > 1  # the interviews really asked different questions


def test_sort_ascending_puts_nulls_first(h: Harness, accounts: dict[str, str]) -> None:
    xml = flow(
        record_var("Found", "Account", collection=True),
        lookup("Get_Accounts", "Account", [], first_only=False, sort=("Site", "Asc"), output_reference="Found",
               queried=["Site"]),
        start="Get_Accounts",
    )
    assert [r["Site"] for r in h.run(xml).outputs()["Found"]] == [None, None, "North", "North", "South"]


def test_parent_field_filters_for_interviews_asking_different_values(h: Harness, accounts: dict[str, str]) -> None:
    h.seed("Contact", [{"LastName": "A1", "AccountId": accounts["Acme"]},
                       {"LastName": "A2", "AccountId": accounts["Acme"]},
                       {"LastName": "G1", "AccountId": accounts["Globex"]}])
    xml = flow(
        var("Word", input=True),
        record_var("Found", "Contact", collection=True),
        lookup("Get_Contacts", "Contact", [("Account.Name", "EqualTo", ref("Word"))], first_only=False,
               output_reference="Found", queried=["LastName"], sort=("LastName", "Asc")),
        start="Get_Contacts",
    )
    run = h.run(xml, [{"Word": "acme"}, {"Word": "GLOBEX"}, {"Word": "Initech"}])
    assert run.limits.soql_queries == 1
    found = [run.outputs(i)["Found"] for i in range(3)]
    assert [[r["LastName"] for r in f] for f in found[:2]] == [["A1", "A2"], ["G1"]]
    assert found[2] is None
    assert {key.lower() for key in found[0][0]} == {"id", "lastname"}  # the parent used to match isn't output
