"""Invocations run in one transaction: bulkified records, partial success kept, limits roll back everything.

reference/flow-metadata.md §7.1 and confirmations.md §3: a faulted interview reports UNKNOWN_EXCEPTION (plus,
in flowforce, the element and the fault), the others keep their work; a governor limit fails them all.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Api


def spy_transactions(api: Api, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    made: list[Any] = []
    original = api.org.store.transaction

    def spy(*args: Any, **kwargs: Any) -> Any:
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(api.org.store, "transaction", spy)
    return made


def test_many_inputs_share_one_query_and_one_insert(dml_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = [dml_api.create("Account", Name=f"Bulk {n}") for n in range(50)]
    made = spy_transactions(dml_api, monkeypatch)
    response = dml_api.post("actions/custom/flow/Contact_For_Account",
                            json={"inputs": [{"AccountId": account} for account in accounts]})
    assert response.status_code == 200, response.text
    assert len(made) == 1
    limits = made[0].limits
    assert (limits.soql_queries, limits.dml_statements, limits.dml_rows) == (1, 1, 50)
    contacts = dml_api.soql("SELECT LastName, AccountId FROM Contact")
    assert sorted(c["LastName"] for c in contacts) == sorted(f"Bulk {n}" for n in range(50))


def test_a_faulted_interview_reports_the_element_and_the_others_keep_their_work(dml_api: Api) -> None:
    account = dml_api.create("Account", Name="Kept")
    missing = "001000000000000AAA"
    response = dml_api.post("actions/custom/flow/Contact_For_Account",
                            json={"inputs": [{"AccountId": account}, {"AccountId": missing}]})
    assert response.status_code == 400
    ok, failed = response.json()
    assert ok["isSuccess"] is True and ok["outputValues"]["ContactId"].startswith("003")
    assert failed["isSuccess"] is False
    assert failed["actionName"] == "Contact_For_Account"
    assert failed["outputValues"]["Flow__InterviewStatus"] == "Error"
    [error] = failed["errors"]
    assert error["statusCode"] == "UNKNOWN_EXCEPTION" and error["fields"] == []
    assert error["message"].startswith("An error occurred when executing a flow interview. "
                                       "Error element Create_Contact (FlowRecordCreate). ")
    assert "Start_Here.Name" in error["message"]
    assert [c["LastName"] for c in dml_api.soql("SELECT LastName FROM Contact")] == ["Kept"]


def test_a_governor_limit_fails_every_interview_and_saves_nothing(dml_api: Api) -> None:
    response = dml_api.post("actions/custom/flow/Limit_Flow",
                            json={"inputs": [{"ids": [f"n{i}" for i in range(101)]}, {"ids": ["one"]}]})
    assert response.status_code == 400
    body = response.json()
    assert [entry["isSuccess"] for entry in body] == [False, False]
    for entry in body:
        assert entry["errors"][0]["statusCode"] == "UNKNOWN_EXCEPTION"
        assert entry["errors"][0]["message"].endswith("Too many SOQL queries: 101")
    assert dml_api.soql("SELECT Id FROM Account WHERE Name = 'Limit marker'") == []


def test_escalate_to_case_seed_003(dml_api: Api) -> None:
    account = dml_api.create("Account", Name="Feed Co")
    feed_item = dml_api.create("FeedItem", ParentId=account, Body="Help!")
    response = dml_api.post("actions/custom/flow/Escalate_to_Case", json={"inputs": [
        {"CommentCount": 6, "FeedItemId": feed_item}, {"CommentCount": 8, "FeedItemId": feed_item},
        {"CommentCount": 1, "FeedItemId": feed_item}]})
    assert response.status_code == 200, response.text
    outputs = [entry["outputValues"] for entry in response.json()]
    assert [o["Status"] for o in outputs] == ["Escalated", "Escalated", "Not escalated"]
    assert outputs[2]["CaseId"] is None
    cases = dml_api.soql("SELECT Id, Subject FROM Case ORDER BY Subject")
    assert sorted(c["Id"] for c in cases) == sorted([outputs[0]["CaseId"], outputs[1]["CaseId"]])
    assert cases[0]["Subject"] == "Escalated Chatter post (6 comments)"
