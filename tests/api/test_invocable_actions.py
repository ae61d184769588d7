"""Registered actions over REST (`actions/standard/NAME`, `actions/custom/apex/NAME`), Python invocable actions
and flowforce.toml stubs standing in for Apex (the corpus's TestFlow_GetCreditScore), and the admin outbox."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowforce.actions.python import ActionLoadError

from .conftest import TEST_PROJECT, Api, make_settings, open_api, open_org

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "flow-corpus"
CREDIT_FLOW = CORPUS / "alexed1__LightningFlowComponents" / "TestFlow_GetCreditScore.flow-meta.xml"

CREDIT_ACTIONS = '''
from flowforce.actions import ActionFailure, invocable_action, variable

@invocable_action("GetCreditScore", label="Get Credit Score", description="Scores a customer.",
                  inputs=[variable("custId", "Number", required=True)],
                  outputs=[variable("score", "Number")])
def get_credit_score(requests, context):
    """Writes a Task per request in the caller's transaction, so the test can see each call."""
    context.records.insert("Task", [{"Subject": f"Credit check {r['custId']}"} for r in requests])
    return [{"score": 700} if r["custId"] > 0 else ActionFailure("custId must be positive") for r in requests]
'''

STUBS = '''
[actions.apex.PostToSlack]
error = "Slack is not reachable from tests"

[actions.apex.StringsJoin]
outputs = { joined = "a;b" }
'''


@pytest.fixture
def action_project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(TEST_PROJECT, target)
    (target / "flowforce_actions").mkdir()
    (target / "flowforce_actions" / "credit.py").write_text(textwrap.dedent(CREDIT_ACTIONS))
    (target / "flowforce.toml").write_text(STUBS)
    if CREDIT_FLOW.is_file():
        shutil.copy(CREDIT_FLOW, target / "force-app" / "main" / "default" / "flows")
    return target


@pytest.fixture
def actions_api(action_project: Path) -> Iterator[Api]:
    yield from open_api(make_settings(action_project, f"sqlite:///{action_project / 'store.db'}"))


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """The module's store is a file, not the shared in-memory connection: these tests read the outbox and run
    the job queue from the test thread, beside the server's threads."""
    yield from open_api(make_settings(TEST_PROJECT, f"sqlite:///{tmp_path / 'store.db'}"))


def test_emailSimple_describe_lists_its_inputs(api: Api) -> None:
    response = api.get("actions/standard/emailSimple")
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["type"], body["label"], body["isStandard"]) == (
        "emailSimple", "EMAILSIMPLE", "Send Email", True)
    subject = next(entry for entry in body["inputs"] if entry["name"] == "emailSubject")
    assert subject == {"apexClass": None, "byteLength": 0, "description": None, "label": "emailSubject",
                       "maxOccurs": 1, "name": "emailSubject", "picklistValues": None, "required": True,
                       "sobjectType": None, "type": "STRING"}
    array = next(entry for entry in body["inputs"] if entry["name"] == "emailAddressesArray")
    assert (array["maxOccurs"], array["required"]) == (2000, False)
    assert body["outputs"] == []


def test_unknown_standard_action_is_not_found(api: Api) -> None:
    response = api.post("actions/standard/sendCarrierPigeon", json={"inputs": [{}]})
    assert response.status_code == 404
    assert response.json() == [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]


def test_posting_emailSimple_holds_the_mail_without_smtp(api: Api) -> None:
    """The REST guide's own example request; with no SMTP configured the mail stays in the outbox, held."""
    body = {"inputs": [{"emailAddresses": "Fred@Acme.com", "emailSubject": "Note", "emailBody": "Message of the day.",
                        "senderAddress": "Bill@TheCloud.org"}]}
    response = api.post("actions/standard/emailSimple", json=body)
    assert response.status_code == 200, response.text
    assert response.json() == [{"actionName": "emailSimple", "errors": None, "invocationId": None,
                                "isSuccess": True, "outcome": None, "outputValues": None, "sortOrder": -1,
                                "version": 1}]
    api.org.jobs.run_due()
    listed = api.client.get("/_flowforce/outbox", params={"channel": "email"}, headers=api.headers)
    assert listed.status_code == 200
    [message] = listed.json()["messages"]
    assert {key: message[key] for key in ("channel", "status", "recipient", "subject", "body", "lastError")} == {
        "channel": "email", "status": "held", "recipient": "Fred@Acme.com", "subject": "Note",
        "body": "Message of the day.", "lastError": "no email transport is configured"}
    assert message["message"]["from"] == "Bill@TheCloud.org"
    [draft] = api.soql("SELECT Status, ToAddress FROM EmailMessage")
    assert (draft["Status"], draft["ToAddress"]) == ("5", "Fred@Acme.com")


def test_a_bad_address_fails_its_request_and_queues_only_the_good_ones(api: Api) -> None:
    body = {"inputs": [{"emailAddresses": "ok@example.com", "emailSubject": "A", "emailBody": "a"},
                       {"emailAddresses": "not-an-address", "emailSubject": "B", "emailBody": "b"}]}
    response = api.post("actions/standard/emailSimple", json=body)
    assert response.status_code == 400
    good, bad = response.json()
    assert good["isSuccess"] is True
    assert bad["isSuccess"] is False
    assert bad["errors"] == [{"statusCode": "UNKNOWN_EXCEPTION", "fields": [],
                              "message": "INVALID_EMAIL_ADDRESS, Email address is invalid: not-an-address"}]
    assert [(m.recipient, m.status) for m in api.org.outbox.messages()] == [("ok@example.com", "queued")]


def test_a_missing_required_input_fails_that_request_only(api: Api) -> None:
    body = {"inputs": [{"emailAddresses": "ok@example.com", "emailBody": "no subject"},
                       {"emailAddresses": "ok@example.com", "emailSubject": "S", "emailBody": "B"}]}
    response = api.post("actions/standard/emailSimple", json=body)
    assert response.status_code == 400
    missing, sent = response.json()
    assert missing["errors"][0]["message"] == "Missing required input parameter: emailSubject"
    assert sent["isSuccess"] is True
    assert [m.subject for m in api.org.outbox.messages()] == ["S"]


def test_sms_action_refuses_a_number_that_is_not_e164(api: Api) -> None:
    response = api.post("actions/standard/sendSmsMessage",
                        json={"inputs": [{"phoneNumber": "555-0100", "message": "hi"}]})
    assert response.status_code == 400
    [entry] = response.json()
    assert entry["errors"][0]["message"] == ("Invalid phone number '555-0100' for phoneNumber: an SMS needs an "
                                             "E.164 number such as +14155550100.")
    assert api.org.outbox.messages() == []


def test_outbox_and_reset_need_an_administrator(api: Api, user_api: Api) -> None:
    assert api.client.get("/_flowforce/outbox").status_code == 401
    assert user_api.client.get("/_flowforce/outbox", headers=user_api.headers).status_code == 403
    assert user_api.client.post("/_flowforce/reset", headers=user_api.headers).status_code == 403
    bad = api.client.get("/_flowforce/outbox", params={"status": "lost"}, headers=api.headers)
    assert bad.status_code == 400
    assert "status: expected one of queued, sent, failed, held, logged" in bad.json()[0]["message"]


def test_reset_empties_records_and_outbox_and_keeps_the_session(api: Api) -> None:
    api.create("Account", Name="Acme")
    api.post("actions/standard/emailSimple",
             json={"inputs": [{"emailAddresses": "a@example.com", "emailSubject": "S", "emailBody": "B"}]})
    response = api.client.post("/_flowforce/reset", headers=api.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"recordsDeleted": 1, "messagesDeleted": 1}
    assert api.soql("SELECT Id FROM Account") == []
    assert api.org.outbox.messages() == []
    assert api.get("actions/standard").status_code == 200  # the admin's token still works


# ---------------------------------------------------------------------------------- Python actions, stubs


def test_python_action_is_listed_described_and_invocable(actions_api: Api) -> None:
    listed = actions_api.get("actions/custom/apex").json()["actions"]
    assert {"label": "Get Credit Score", "name": "GetCreditScore", "type": "APEX",
            "url": "/services/data/v66.0/actions/custom/apex/GetCreditScore"} in listed
    described = actions_api.get("actions/custom/apex/GetCreditScore").json()
    assert (described["description"], described["apexClass"]) == ("Scores a customer.", "GetCreditScore")
    assert [(p["name"], p["type"], p["required"]) for p in described["inputs"]] == [("custId", "DOUBLE", True)]
    response = actions_api.post("actions/custom/apex/GetCreditScore",
                                json={"inputs": [{"custId": 12}, {"custId": -1}]})
    assert response.status_code == 400
    ok, failed = response.json()
    assert (ok["isSuccess"], ok["outputValues"]) == (True, {"score": 700})
    assert failed["errors"][0]["message"] == "custId must be positive"
    # the failed request's work was undone; the other's was kept (its call was made again, alone)
    assert [row["Subject"] for row in actions_api.soql("SELECT Subject FROM Task")] == ["Credit check 12"]


@pytest.mark.skipif(not CREDIT_FLOW.is_file(), reason="../shared/flow-corpus is not here")
def test_corpus_flow_calls_the_python_action_by_its_apex_class_name(actions_api: Api) -> None:
    response = actions_api.post("actions/custom/flow/TestFlow_GetCreditScore", json={"inputs": [{}]})
    assert response.status_code == 200, response.text
    assert [row["Subject"] for row in actions_api.soql("SELECT Subject FROM Task")] == ["Credit check 4000.00"]


def test_stubs_from_flowforce_toml_answer_fixed_outputs_or_an_error(actions_api: Api) -> None:
    joined = actions_api.post("actions/custom/apex/StringsJoin", json={"inputs": [{"x": 1}]})
    assert joined.json()[0]["outputValues"] == {"joined": "a;b"}
    slack = actions_api.post("actions/custom/apex/PostToSlack", json={"inputs": [{}]})
    assert slack.status_code == 400
    assert slack.json()[0]["errors"][0]["message"] == "Slack is not reachable from tests"


def test_a_broken_action_module_stops_the_org_from_opening(action_project: Path) -> None:
    (action_project / "flowforce_actions" / "broken.py").write_text("def oops(:\n")
    with pytest.raises(ActionLoadError, match=r"flowforce_actions/broken.py could not be loaded: SyntaxError"):
        open_org(make_settings(action_project, "sqlite://"))
