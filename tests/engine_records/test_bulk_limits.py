"""Bulkification (§7.1, H-BULK) and governor limits (§7.4) of record elements against a real store."""

from __future__ import annotations

import pytest

from flowforce.engine.batch import run_batch
from flowforce.engine.context import RunContext
from flowforce.engine.engine import compile_program
from flowforce.engine.interview import InterviewStatus
from flowforce.metadata.parser import parse_flow_bytes
from flowforce.runtime.gateway import StoreGateway

from .kit import (
    Harness,
    assign,
    create,
    flow,
    lookup,
    loop,
    num,
    ref,
    text,
    var,
)

GET_AND_CREATE = flow(
    var("Company", input=True),
    var("Last", input=True),
    var("AccountId", output=True),
    var("ContactId", output=True),
    lookup("Get_Account", "Account", [("Name", "EqualTo", ref("Company"))], next_="Create_Contact"),
    create("Create_Contact", "Contact", {"LastName": ref("Last"), "AccountId": ref("Get_Account.Id")},
           assign_id_to="ContactId", next_="Copy"),
    assign("Copy", [("AccountId", "Assign", ref("Get_Account.Id"))]),
    start="Get_Account",
)


def test_two_hundred_interviews_asking_the_same_question_use_one_query_and_one_statement(h: Harness) -> None:
    [acme] = h.seed("Account", [{"Name": "Acme"}])
    run = h.run(GET_AND_CREATE, [{"Company": "Acme", "Last": f"L{i:03}"} for i in range(200)])
    assert (run.limits.soql_queries, run.limits.dml_statements, run.limits.dml_rows) == (1, 1, 200)
    outputs = [run.outputs(i) for i in range(200)]
    assert {o["AccountId"] for o in outputs} == {acme}
    contact_ids = [o["ContactId"] for o in outputs]
    assert len(set(contact_ids)) == 200
    stored = {row["Id"]: row for row in h.query("SELECT Id, LastName, AccountId FROM Contact")}
    assert [stored[cid]["LastName"] for cid in contact_ids] == [f"L{i:03}" for i in range(200)]


def test_two_hundred_interviews_asking_different_questions_still_use_one_query(h: Harness) -> None:
    names = [f"Company {i:03}" for i in range(200)]
    account_ids = dict(zip(names, h.seed("Account", [{"Name": name} for name in names])))
    # Interview i asks for company 199 - i (in lower case): each gets its own row back.
    inputs = [{"Company": names[199 - i].lower(), "Last": f"L{i:03}"} for i in range(200)]
    run = h.run(GET_AND_CREATE, inputs)
    assert (run.limits.soql_queries, run.limits.soql_rows, run.limits.dml_statements) == (1, 200, 1)
    for i in range(200):
        assert run.outputs(i)["AccountId"] == account_ids[names[199 - i]]
    contacts = h.query("SELECT Id, LastName, Account.Name FROM Contact")
    by_last = {row["LastName"]: row["Account"]["Name"] for row in contacts}
    assert by_last == {f"L{i:03}": names[199 - i] for i in range(200)}
    assert {row["Id"] for row in contacts} == {run.outputs(i)["ContactId"] for i in range(200)}


def test_a_create_inside_a_loop_is_one_statement_per_iteration(h: Harness) -> None:
    xml = flow(
        var("Names", collection=True, input=True),
        var("Name"),
        loop("Each", "Names", "Name", each="Create_Account"),
        create("Create_Account", "Account", {"Name": ref("Name")}, next_="Each"),
        start="Each",
    )
    alone = h.run(xml, [{"Names": ["a", "b", "c"]}])
    assert (alone.limits.dml_statements, alone.limits.dml_rows) == (3, 3)
    # Interviews at the same iteration share a statement; iterations are never consolidated.
    together = h.run(xml, [{"Names": ["d", "e", "f", "g"]}, {"Names": ["h", "i"]}])
    assert (together.limits.dml_statements, together.limits.dml_rows) == (4, 6)
    assert sorted(row["Name"] for row in h.query("SELECT Name FROM Account")) == list("abcdefghi")


# ------------------------------------------------------------------------------------------------- limits


def counting_loop(element: str, *, fault: bool) -> str:
    """Create one Account, then run *element* (named `Work`) until `N` reaches `Times`."""
    return flow(
        var("Times", "Number", input=True, scale=0),
        var("N", "Number", scale=0, default=num(0)),
        var("Fault", output=True),
        create("Create_First", "Account", {"Name": text("Written before the limit")}, next_="More"),
        "<decisions><name>More</name><label>More</label><locationX>0</locationX><locationY>0</locationY>"
        "<defaultConnectorLabel>Done</defaultConnectorLabel><rules><name>Again</name>"
        "<conditionLogic>and</conditionLogic><conditions><leftValueReference>N</leftValueReference>"
        f"<operator>LessThan</operator><rightValue>{ref('Times')}</rightValue></conditions>"
        "<connector><targetReference>Work</targetReference></connector><label>Again</label></rules></decisions>",
        element,
        assign("Count", [("N", "Add", num(1))], next_="More"),
        assign("On_Fault", [("Fault", "Assign", ref("$Flow.FaultMessage"))]),
        start="Create_First",
    )


def soql_loop(fault: bool) -> str:
    return counting_loop(lookup("Work", "Account", [("Name", "EqualTo", text("x"))], next_="Count",
                                fault="On_Fault" if fault else None), fault=fault)


def dml_loop(fault: bool) -> str:
    # Create_First is the first DML statement: 150 more iterations make the 151st.
    return counting_loop(create("Work", "Contact", {"LastName": text("Loop")}, next_="Count",
                                fault="On_Fault" if fault else None), fault=fault)


LIMIT_CASES = [
    pytest.param(soql_loop, 101, "Too many SOQL queries: 101", id="soql"),
    pytest.param(dml_loop, 150, "Too many DML statements: 151", id="dml"),
]


@pytest.mark.parametrize("fault", [False, True], ids=["no-fault-connector", "fault-connector"])
@pytest.mark.parametrize(("build", "times", "message"), LIMIT_CASES)
def test_a_governor_limit_fails_every_interview_and_leaves_the_store_as_it_was(
        h: Harness, build, times: int, message: str, fault: bool) -> None:
    h.seed("Account", [{"Name": "Existing"}])
    run = h.run(build(fault), [{"Times": times}, {"Times": 1}, {"Times": times}])
    assert run.batch.limit_error == message
    assert all(result.status is InterviewStatus.ERROR for result in run.results)
    assert {result.failure.message for result in run.results} == {message}
    assert run.results[0].failure.element == "Work"
    assert [row["Name"] for row in h.query("SELECT Name FROM Account")] == ["Existing"]
    assert h.count("Contact") == 0


@pytest.mark.parametrize(("build", "times", "message"), LIMIT_CASES)
def test_a_limit_error_rolls_back_the_batch_even_if_the_caller_commits(
        h: Harness, build, times: int, message: str) -> None:
    """The engine's own guarantee, below the runtime (which never commits after a limit): its batch
    savepoint is rolled back, so a caller that commits anyway keeps nothing of the batch."""
    h.seed("Account", [{"Name": "Existing"}])
    program = compile_program(parse_flow_bytes(build(True).encode(), api_name="Records_Test"))
    with h.store.transaction() as tx:
        batch = run_batch(program, [{"Times": times}], RunContext(records=StoreGateway(tx)))
    assert batch.limit_error == message
    assert [row["Name"] for row in h.query("SELECT Name FROM Account")] == ["Existing"]
    assert h.count("Contact") == 0


@pytest.mark.parametrize(("build", "times"), [(soql_loop, 100), (dml_loop, 149)], ids=["soql", "dml"])
def test_just_below_the_limit_succeeds(h: Harness, build, times: int) -> None:
    run = h.run(build(False), [{"Times": times}, {"Times": times}])
    assert run.batch.limit_error is None
    assert all(result.success for result in run.results)
    assert h.count("Account") == 2
