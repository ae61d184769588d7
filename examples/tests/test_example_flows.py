"""Tests of the example project's flows, written as a flowforce user writes them: the `org` fixture (from the
flowforce pytest plugin) gives each test a fresh org of this project — see docs/testing.md."""

from __future__ import annotations

from decimal import Decimal

import pytest

from flowforce.testing import assert_outputs, assert_visited


def test_order_confirmation_picks_sms_when_there_is_a_phone(org):
    result = org.invoke("Order_Confirmation_Message",
                        {"OrderNumber": "A-1001", "TelephoneNumber": "+15550100", "OrderTotal": 42.5})
    assert_outputs(result, Channel="SMS", MessageText="Thanks! Order A-1001 is confirmed. Total: $42.50.")


@pytest.mark.parametrize(("comments", "best", "priority"),
                         [(12, False, "High"), (25, True, "Medium"), (2, False, "Low")])
def test_escalation_rules(org, comments, best, priority):
    result = org.invoke("Escalation_Rules", {"CommentCount": comments, "BestCommentSelected": best})
    assert result["Priority"] == priority


def test_loyalty_points_add_up_exactly(org):
    result = org.invoke("Loyalty_Points", {"OrderAmounts": [120.5, 99.99, 300]})
    assert_outputs(result, TotalSpent=Decimal("520.49"), Points=520, Tier="Silver")
    assert_visited(result, "Each_Order", "Set_Results", in_order=True)


def test_a_hot_post_becomes_a_case(org):
    account, = org.insert("Account", {"Name": "Acme"})
    post, = org.insert("FeedItem", {"ParentId": account, "Body": "Still broken?"})
    result = org.invoke("Escalate_to_Case", {"CommentCount": 7, "FeedItemId": post})
    assert_outputs(result, Status="Escalated")
    [case] = org.query("SELECT Id, Subject, Description, Priority FROM Case")
    assert result["CaseId"] == case["Id"]
    assert (case["Subject"], case["Description"], case["Priority"]) == (
        "Escalated Chatter post (7 comments)", "Still broken?", "High")


def test_two_hundred_posts_escalate_in_one_query_and_one_insert(org):
    account, = org.insert("Account", {"Name": "Busy Co"})
    posts = org.insert("FeedItem", *({"ParentId": account, "Body": f"Post {n}"} for n in range(200)))
    results = org.invoke("Escalate_to_Case", [{"CommentCount": 7, "FeedItemId": post} for post in posts])
    assert all(result.success for result in results)
    assert len(org.query("SELECT Id FROM Case")) == 200
    assert (org.limits.soql_queries, org.limits.dml_statements) <= (2, 2)


def test_the_follow_up_task_comes_two_days_later(org):
    org.clock.freeze("2026-03-02T09:00:00Z")
    result = org.invoke("Order_Follow_Up", {"OrderNumber": "A-7"})
    assert result.status == "Waiting"
    assert org.query("SELECT Id FROM Task") == []
    org.clock.advance(days=1)
    assert org.query("SELECT Id FROM Task") == []
    org.clock.advance(days=1)
    [task] = org.query("SELECT Subject, ActivityDate FROM Task")
    assert task["Subject"] == "Follow up on order A-7" and str(task["ActivityDate"]) == "2026-03-04"
    assert org.interview(result.guid).status == "Finished"


def test_the_rest_api_serves_the_same_org(org):
    response = org.http.post("/services/data/v66.0/actions/custom/flow/Format_Phone_Number",
                             json={"inputs": [{"RawPhone": "(555) 010-0100"}]})
    assert response.status_code == 200
    sf = org.salesforce  # simple_salesforce, bound to the in-process API
    sf.Account.create({"Name": "Via simple_salesforce"})
    assert [row["Name"] for row in org.query("SELECT Name FROM Account")] == ["Via simple_salesforce"]
