"""Delivery from the outbox: through a real SMTP server (aiosmtpd) and an HTTP SMS gateway in the test, after
commit only, with retries on the org's clock and a final status."""

from __future__ import annotations

import base64
import functools
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mail_and_sms import Gateway, Inbox, sms_gateway, smtp_inbox

from flowforce.actions.defaults import default_registry
from flowforce.actions.messages import EMAIL_SIMPLE, SEND_SMS
from flowforce.api.tls import generated_tls
from flowforce.records.schema import SchemaRegistry
from flowforce.records.store import RecordStore
from flowforce.runtime import Org, build_auth_service
from flowforce.settings import Settings

CHEAP_AUTH = functools.partial(build_auth_service, password_hash_cost=4)
TWILIO_TEMPLATE = '{"To": "{to}", "From": "{from}", "Body": "{body}"}'


def open_org(**settings: Any) -> Org:
    store = RecordStore("sqlite://", SchemaRegistry.standard())
    org = Org.on_store(store, settings=Settings(database_url="sqlite://", outbox_max_attempts=3, **settings),
                       auth_factory=CHEAP_AUTH, actions=default_registry())
    org.clock.freeze()
    return org


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_inbox() as server:
        yield server


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with sms_gateway() as server:
        yield server


def mail(to: str = "ada@example.com", subject: str = "Hello") -> dict[str, Any]:
    return {"emailAddresses": to, "emailSubject": subject, "emailBody": "Body text"}


def test_mail_is_sent_after_the_commit_with_its_record(inbox: Inbox) -> None:
    with open_org(smtp_url=inbox.url, email_from="shop@example.com") as org:
        org.invoke_action(EMAIL_SIMPLE, [{**mail(), "ccRecipientAddressList": ["cc@example.com"],
                                          "sendRichBody": True, "emailBody": "<p>Hi</p>"}])
        assert inbox.messages == []  # committed, but delivery belongs to the queue
        assert org.jobs.run_due() == 1
        [received] = inbox.messages
        assert sorted(received.rcpt_tos) == ["ada@example.com", "cc@example.com"]
        assert received.message["Cc"] == "cc@example.com"
        html = received.message.get_body(("html",))
        assert html is not None and html.get_content().strip() == "<p>Hi</p>"
        [message] = org.outbox.messages()
        assert (message.status, message.attempts, message.provider_id) == ("sent", 1, received.message["Message-ID"])


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_comes_from_the_url() -> None:
    with smtp_inbox(users={"mailer": "s3cret"}) as inbox:
        good = inbox.url.replace("smtp://", "smtp://mailer:s3cret@")
        with open_org(smtp_url=good) as org:
            org.invoke_action(EMAIL_SIMPLE, [mail()])
            org.jobs.run_due()
            assert [m.rcpt_tos for m in inbox.messages] == [["ada@example.com"]]
        with open_org(smtp_url=inbox.url.replace("smtp://", "smtp://mailer:wrong@")) as org:
            org.invoke_action(EMAIL_SIMPLE, [mail()])
            org.jobs.run_due()
            [message] = org.outbox.messages()
            assert (message.status, message.attempts) == ("queued", 1)
            assert message.last_error is not None and message.last_error.startswith("SMTPAuthenticationError")
            assert len(inbox.messages) == 1


@pytest.mark.parametrize("scheme", ["smtp+starttls", "smtps"])
def test_mail_goes_over_tls_checked_against_the_given_ca(tmp_path: Path, scheme: str) -> None:
    files = generated_tls(tmp_path / "tls", "127.0.0.1")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(files.cert, files.key)
    with smtp_inbox(tls=server_context, implicit_tls=scheme == "smtps") as inbox:
        url = inbox.url.replace("smtp://", f"{scheme}://") + f"?cafile={files.ca}"
        with open_org(smtp_url=url) as org:
            org.invoke_action(EMAIL_SIMPLE, [mail()])
            org.jobs.run_due()
            assert [m.status for m in org.outbox.messages()] == ["sent"]
        assert [m.rcpt_tos for m in inbox.messages] == [["ada@example.com"]]
        with open_org(smtp_url=inbox.url.replace("smtp://", f"{scheme}://")) as org:  # the system CAs: refused
            org.invoke_action(EMAIL_SIMPLE, [mail()])
            org.jobs.run_due()
            assert "CERTIFICATE_VERIFY_FAILED" in (org.outbox.messages()[0].last_error or "")


def test_a_refused_delivery_is_retried_after_a_backoff(inbox: Inbox) -> None:
    inbox.refuse = 1
    with open_org(smtp_url=inbox.url) as org:
        org.invoke_action(EMAIL_SIMPLE, [mail()])
        org.jobs.run_due()
        [message] = org.outbox.messages()
        assert (message.status, message.attempts) == ("queued", 1)
        assert "451" in (message.last_error or "")
        assert org.advance_clock(seconds=5) == 0  # the first retry waits 10 s
        assert org.advance_clock(seconds=5) == 1
        [message] = org.outbox.messages()
        assert (message.status, message.attempts, message.last_error) == ("sent", 2, None)
        assert len(inbox.messages) == 1


def test_after_the_last_attempt_the_message_is_failed(inbox: Inbox) -> None:
    inbox.refuse = 10
    with open_org(smtp_url=inbox.url) as org:
        org.invoke_action(EMAIL_SIMPLE, [mail()])
        org.jobs.run_due()
        org.advance_clock(seconds=3600)
        org.advance_clock(seconds=3600)
        [message] = org.outbox.messages()
        assert (message.status, message.attempts) == ("failed", 3)
        assert inbox.messages == []
        assert org.advance_clock(seconds=3600) == 0


def test_sms_goes_to_a_twilio_shaped_gateway_as_a_form_with_basic_auth(gateway: Gateway) -> None:
    url = gateway.url.replace("http://", "http://AC1:token@")
    with open_org(sms_url=url, sms_from="+15005550006", sms_template=TWILIO_TEMPLATE, sms_format="form") as org:
        org.invoke_action(SEND_SMS, [{"phoneNumber": "+1 (415) 555-0100", "message": "Your code is 1234"}])
        org.jobs.run_due()
        [request] = gateway.requests
        assert request["path"] == "/2010-04-01/Accounts/AC1/Messages.json"
        assert request["body"] == {"To": "+14155550100", "From": "+15005550006", "Body": "Your code is 1234"}
        assert request["headers"]["Authorization"] == "Basic " + base64.b64encode(b"AC1:token").decode()
        [message] = org.outbox.messages(channel="sms")
        assert (message.status, message.provider_id) == ("sent", "SM1")


def test_a_gateway_error_is_kept_and_retried(gateway: Gateway) -> None:
    gateway.status = 500
    with open_org(sms_url=gateway.url) as org:
        org.invoke_action(SEND_SMS, [{"phoneNumber": "+14155550100", "message": "hi"}])
        org.jobs.run_due()
        [message] = org.outbox.messages()
        assert message.status == "queued"
        assert (message.last_error or "").startswith("SmsGatewayError: the SMS gateway answered 500")
        gateway.status = 201
        org.advance_clock(seconds=10)
        assert [m.status for m in org.outbox.messages()] == ["sent"]
        assert len(gateway.requests) == 2


def test_a_bad_smtp_url_is_refused_when_the_org_opens() -> None:
    with pytest.raises(ValueError, match="FLOWFORCE_SMTP_URL 'mailto:x': expected smtp://"):
        open_org(smtp_url="mailto:x")
