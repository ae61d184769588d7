"""Seeds 003/004 end to end: the bundled On_Demand_Flow invoked over HTTP sends its confirmation email to a real
SMTP server and its SMS to an HTTP gateway — after the interview's transaction commits, once per surviving
interview of a batch, never for an interview that faulted after its email element."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mail_and_sms import Gateway, Inbox, sms_gateway, smtp_inbox

from flowforce.settings import BUNDLED_EXAMPLE

from .conftest import Api, make_settings, open_api

FLOW_URL = "actions/custom/flow/On_Demand_Flow"
#: Seed 003's request body exactly as the seed holds it (its address was hidden by the page it came from).
SEED_003_BODY = {"inputs": [{"EmailAddress": "[email protected]", "IndividualId": "003Ho00002AlRM8IAN"}]}


@pytest.fixture
def example_dir(tmp_path: Path) -> Path:
    target = tmp_path / "example"
    shutil.copytree(BUNDLED_EXAMPLE, target, ignore=shutil.ignore_patterns(".flowforce"))
    return target


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_inbox() as server:
        yield server


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with sms_gateway() as server:
        yield server


@pytest.fixture
def shop(example_dir: Path, inbox: Inbox, gateway: Gateway, db_url: str) -> Iterator[Api]:
    # A file, not the shared in-memory connection: the test thread runs the queue beside the server's threads.
    url = f"sqlite:///{example_dir / 'shop.db'}" if db_url.startswith("sqlite") else db_url
    settings = make_settings(example_dir, url, smtp_url=inbox.url, sms_url=gateway.url,
                             sms_from="+15005550006", email_from="orders@shop.test", worker_threads=0)
    yield from open_api(settings)


def run_queue(api: Api) -> int:
    """What the embedded worker does: the queued interviews, then their deliveries."""
    return api.org.jobs.run_due()


def test_seed_003_exact_body_is_accepted_and_its_unusable_address_sends_nothing(shop: Api, inbox: Inbox) -> None:
    response = shop.post(FLOW_URL, json=SEED_003_BODY)
    assert response.status_code == 200, response.text
    [result] = response.json()
    assert (result["isSuccess"], result["outputValues"]["Flow__InterviewStatus"]) == (True, "Started")
    run_queue(shop)
    assert inbox.messages == []
    assert shop.org.outbox.messages() == []
    assert shop.soql("SELECT Id FROM FlowInterview WHERE InterviewStatus = 'Error'") == []  # the fault path ran


def test_seed_003_request_sends_the_email_to_the_smtp_server(shop: Api, inbox: Inbox, gateway: Gateway) -> None:
    body = {"inputs": [{**SEED_003_BODY["inputs"][0], "EmailAddress": "dana@example.com"}]}
    response = shop.post(FLOW_URL, json=body)
    assert response.status_code == 200, response.text
    [result] = response.json()
    assert result["isSuccess"] is True
    assert result["outputValues"]["Flow__InterviewStatus"] == "Started"
    assert inbox.messages == []  # nothing leaves before the queued interview ran and committed
    run_queue(shop)
    [received] = inbox.messages
    assert received.rcpt_tos == ["dana@example.com"]
    assert received.mail_from == "orders@shop.test"
    assert received.message["Subject"] == "Your order is confirmed"
    assert received.text.strip() == ("Thank you for your purchase! Your order is confirmed.\n\n"
                                     "Customer reference: 003Ho00002AlRM8IAN")
    assert gateway.requests == []  # no TelephoneNumber, no SMS
    [email] = shop.soql("SELECT ToAddress, Subject, Status FROM EmailMessage")
    assert (email["ToAddress"], email["Subject"], email["Status"]) == (
        "dana@example.com", "Your order is confirmed", "3")


def test_email_and_sms_leave_once_per_surviving_interview(shop: Api, inbox: Inbox, gateway: Gateway) -> None:
    inputs = [
        {"EmailAddress": "ada@example.com", "TelephoneNumber": "+14155550100", "OrderNumber": "A-1",
         "IndividualId": "003000000000001AAA"},
        {"EmailAddress": "bob@example.com", "TelephoneNumber": "12345", "OrderNumber": "B-2",
         "IndividualId": "003000000000002AAA"},  # faults at the SMS element, after its email element
        {"EmailAddress": "cy@example.com", "OrderNumber": "C-3", "IndividualId": "003000000000003AAA"},
    ]
    response = shop.post(FLOW_URL, json={"inputs": inputs})
    assert response.status_code == 200, response.text
    run_queue(shop)
    assert sorted(tuple(m.rcpt_tos) for m in inbox.messages) == [("ada@example.com",), ("cy@example.com",)]
    assert sorted(str(m.message["Subject"]) for m in inbox.messages) == [
        "Order A-1 is confirmed", "Order C-3 is confirmed"]
    assert gateway.bodies == [
        {"to": "+14155550100", "from": "+15005550006", "body": "Order A-1 is confirmed. Thank you!"}]
    failed = shop.soql("SELECT InterviewStatus, Error FROM FlowInterview WHERE InterviewStatus = 'Error'")
    assert len(failed) == 1
    assert "Invalid phone number '12345' for phoneNumber" in failed[0]["Error"]
    outbox = shop.org.outbox.messages()
    assert sorted((m.channel, m.recipient, m.status) for m in outbox) == [
        ("email", "ada@example.com", "sent"), ("email", "cy@example.com", "sent"), ("sms", "+14155550100", "sent")]
    assert run_queue(shop) == 0  # nothing left to send: each message left once



def test_a_run_that_is_not_committed_sends_nothing(shop: Api, inbox: Inbox, gateway: Gateway) -> None:
    run = shop.org.run("On_Demand_Flow", [{"EmailAddress": "ada@example.com", "TelephoneNumber": "+14155550100"}],
                       commit=False)
    assert run.batch.all_succeeded and not run.committed
    run_queue(shop)
    assert (inbox.messages, gateway.requests, shop.org.outbox.messages()) == ([], [], [])
