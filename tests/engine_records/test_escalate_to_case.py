"""The bundled Escalate_to_Case example (Salesforce's "Start a Flow from REST API" flow) against a real store."""

from __future__ import annotations

from pathlib import Path

from .kit import Harness

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/force-app/main/default/flows/Escalate_to_Case.flow-meta.xml"


def test_escalates_busy_posts_without_a_best_comment(h: Harness) -> None:
    account = h.seed("Account", [{"Name": "Acme"}])[0]
    busy, quiet = h.seed("FeedItem", [{"ParentId": account, "Body": "Printer on fire"},
                                      {"ParentId": account, "Body": "Thanks all"}])
    run = h.run(EXAMPLE.read_text(), [{"CommentCount": 6, "FeedItemId": busy[:15]},
                                      {"CommentCount": 2, "FeedItemId": quiet}])
    escalated, left = run.outputs(0), run.outputs(1)
    assert escalated["Status"] == "Escalated"
    assert left == {"CaseId": None, "Status": "Not escalated"}
    cases = h.query("SELECT Id, Subject, Description, Priority, Origin FROM Case")
    assert [case["Id"] for case in cases] == [escalated["CaseId"]]
    assert cases[0]["Subject"] == "Escalated Chatter post (6 comments)"
    assert (cases[0]["Description"], cases[0]["Priority"], cases[0]["Origin"]) == ("Printer on fire", "High", "Web")
    assert (run.limits.soql_queries, run.limits.dml_statements) == (1, 1)


def test_a_post_with_a_best_comment_is_not_escalated(h: Harness) -> None:
    account = h.seed("Account", [{"Name": "Acme"}])[0]
    post = h.seed("FeedItem", [{"ParentId": account, "Body": "Answered", "Type": "QuestionPost"}])[0]
    comment = h.seed("FeedComment", [{"FeedItemId": post, "CommentBody": "Try turning it off"}])[0]
    tx = h.store.transaction()
    tx.update("FeedItem", [{"Id": post, "BestCommentId": comment}])
    tx.commit()
    run = h.run(EXAMPLE.read_text(), [{"CommentCount": 12, "FeedItemId": post}])
    assert run.outputs() == {"CaseId": None, "Status": "Not escalated"}
    assert h.count("Case") == 0


def test_an_unknown_feed_item_id_follows_the_fault_path(h: Harness) -> None:
    run = h.run(EXAMPLE.read_text(), [{"CommentCount": 9, "FeedItemId": "not-an-id"}])
    status = run.outputs()["Status"]
    assert status.startswith("Error: This error occurred when the flow tried to look up records:")
    assert "not-an-id" in status
