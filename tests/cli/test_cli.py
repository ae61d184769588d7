"""`flowforce run` and `flowforce check` as a user types them (typer's runner, real files and stores)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flowforce.cli import app
from flowforce.runtime import open_project
from flowforce.soql import run_soql

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_flow(tmp_path: Path, flow: str, inputs: object, *extra: str) -> tuple[int, str, str]:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    return invoke("run", flow, "--project", str(EXAMPLES), "--db", db, "--input", json.dumps(inputs), *extra)


def test_run_prints_output_values_like_the_rest_api(tmp_path: Path) -> None:
    code, out, _ = run_flow(tmp_path, "Order_Confirmation_Message",
                            {"OrderNumber": "A-1001", "TelephoneNumber": "+15550100", "OrderTotal": 42.5})
    assert code == 0
    body = json.loads(out)
    assert body["isSuccess"] is True
    values = body["outputValues"]
    assert values["Channel"] == "SMS"
    assert values["MessageText"] == "Thanks! Order A-1001 is confirmed. Total: $42.50."
    assert values["Flow__InterviewStatus"] == "Finished"


def test_run_takes_several_inputs_as_one_batch(tmp_path: Path) -> None:
    code, out, _ = run_flow(tmp_path, "Order_Confirmation_Message",
                            {"inputs": [{"OrderNumber": "1", "TelephoneNumber": "5"}, {"OrderNumber": "2"}]})
    assert code == 0
    assert [item["outputValues"]["Channel"] for item in json.loads(out)] == ["SMS", "Email"]


def test_run_trace_lists_each_element_and_why(tmp_path: Path) -> None:
    code, _, err = run_flow(tmp_path, "Order_Confirmation_Message", {"OrderNumber": "1", "TelephoneNumber": "5"},
                            "--trace")
    assert code == 0
    assert "Has_Phone" in err and "outcome Phone_Given is true" in err and "Use_SMS" in err


def test_run_reports_an_unknown_input_and_exits_1(tmp_path: Path) -> None:
    code, out, _ = run_flow(tmp_path, "Order_Confirmation_Message", {"Nope": 1})
    assert code == 1
    body = json.loads(out)
    assert body["isSuccess"] is False
    assert body["error"]["message"] == (
        "The flow doesn't have a variable with the name Nope, or the variable doesn't allow input access.")


def test_run_rejects_input_that_is_not_json(tmp_path: Path) -> None:
    code, _, err = invoke("run", "Order_Confirmation_Message", "--project", str(EXAMPLES),
                          "--db", f"sqlite:///{tmp_path / 'x.db'}", "--input", "{oops")
    assert code == 2
    assert "--input is not valid JSON" in err


def test_run_names_a_flow_that_does_not_exist(tmp_path: Path) -> None:
    code, _, err = run_flow(tmp_path, "No_Such_Flow", {})
    assert code == 1
    assert "Can't run No_Such_Flow" in err and "no such flow" in err


def _cases(db: str) -> list[str]:
    with open_project(EXAMPLES, db) as org, org.transaction() as transaction:
        return [record["Subject"] for record in run_soql("SELECT Subject FROM Case", transaction).records]


def test_run_writes_records_to_the_store_and_no_commit_rolls_them_back(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    with open_project(EXAMPLES, db) as org, org.transaction() as transaction:
        account = transaction.insert("Account", [{"Name": "Acme"}])[0].id
        post = transaction.insert("FeedItem", [{"ParentId": account, "Body": "Help"}])[0].id
    code, _, _ = run_flow(tmp_path, "Escalate_to_Case", {"CommentCount": 7, "FeedItemId": post}, "--no-commit")
    assert code == 0
    assert _cases(db) == []
    code, out, _ = run_flow(tmp_path, "Escalate_to_Case", {"CommentCount": 7, "FeedItemId": post})
    assert code == 0
    assert json.loads(out)["outputValues"]["Status"] == "Escalated"
    assert _cases(db) == ["Escalated Chatter post (7 comments)"]


def test_check_passes_on_the_bundled_examples() -> None:
    code, out, _ = invoke("check", str(EXAMPLES))
    assert code == 0
    assert "Escalate_to_Case" in out and "0 failed to load" in out


def test_check_fails_on_a_file_that_is_not_safe_xml(tmp_path: Path) -> None:
    hostile = tmp_path / "Evil.flow-meta.xml"
    hostile.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                       '<Flow xmlns="http://soap.sforce.com/2006/04/metadata"><label>&e;</label></Flow>')
    code, out, _ = invoke("check", str(hostile))
    assert code == 1
    assert "DOCTYPE and ENTITY declarations are not allowed" in out
