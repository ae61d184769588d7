"""HTTP callouts through named credentials from flowforce.toml: a real request to a local server, the reply as
outputs in a flow, mock mode without a network, and a logged entry in the outbox."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
from mail_and_sms import Gateway, sms_gateway

from flowforce.runtime import Org, build_auth_service
from flowforce.settings import load_settings

CHEAP_AUTH = functools.partial(build_auth_service, password_hash_cost=4)
LOC = "<locationX>0</locationX><locationY>0</locationY>"

FLOW = f"""<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>Register Order</label><processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start>{LOC}<connector><targetReference>Register</targetReference></connector></start>
  <variables><name>Order</name><dataType>String</dataType><isCollection>false</isCollection>
    <isInput>true</isInput><isOutput>false</isOutput></variables>
  <variables><name>Sid</name><dataType>String</dataType><isCollection>false</isCollection>
    <isInput>false</isInput><isOutput>true</isOutput></variables>
  <variables><name>Code</name><dataType>Number</dataType><isCollection>false</isCollection>
    <isInput>false</isInput><isOutput>true</isOutput><scale>0</scale></variables>
  <actionCalls><name>Register</name><label>Register</label>{LOC}
    <actionName>Orders.register</actionName><actionType>externalService</actionType>
    <inputParameters><name>order</name><value><elementReference>Order</elementReference></value></inputParameters>
    <outputParameters><assignToReference>Sid</assignToReference><name>sid</name></outputParameters>
    <outputParameters><assignToReference>Code</assignToReference><name>responseCode</name></outputParameters>
  </actionCalls>
</Flow>
"""


def project(root: Path, toml: str) -> Path:
    flows = root / "force-app" / "main" / "default" / "flows"
    flows.mkdir(parents=True)
    (root / "sfdx-project.json").write_text('{"packageDirectories":[{"path":"force-app","default":true}]}')
    (flows / "Register_Order.flow-meta.xml").write_text(FLOW)
    (root / "flowforce.toml").write_text(toml)
    return root


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with sms_gateway() as server:
        yield server


def open_org(root: Path) -> Org:
    return Org.open(load_settings(project_dir=root, database_url="sqlite://"), auth_factory=CHEAP_AUTH)


def test_a_flow_calls_the_named_credential_and_maps_the_reply(tmp_path: Path, gateway: Gateway) -> None:
    base, _, path = gateway.url.partition("/2010-04-01")
    toml = f"""
[named_credentials.Orders]
url = "{base}"
headers = {{ "X-Api-Key" = "k-123" }}
[named_credentials.Orders.operations.register]
method = "POST"
path = "/2010-04-01{path}"
"""
    with open_org(project(tmp_path, toml)) as org:
        run = org.run("Register_Order", [{"Order": "A-1"}])
        [result] = run.batch.results
        assert result.outputs == {"Sid": "SM1", "Code": 201}
        [request] = gateway.requests
        assert request["body"] == {"order": "A-1"}
        assert request["headers"]["X-Api-Key"] == "k-123"
        [logged] = org.outbox.messages(channel="callout")
        assert (logged.status, logged.recipient, logged.subject) == (
            "logged", f"POST Orders/2010-04-01{path}", "201")


def test_mock_mode_answers_without_a_request(tmp_path: Path) -> None:
    toml = """
[named_credentials.Orders.operations.register]
method = "POST"
mock = { status = 201, body = { sid = "MOCK-1" } }
"""
    with open_org(project(tmp_path, toml)) as org:
        [result] = org.run("Register_Order", [{"Order": "A-1"}]).batch.results
        assert result.outputs == {"Sid": "MOCK-1", "Code": 201}
        assert org.outbox.messages()[0].payload["mock"] is True


def test_an_error_status_faults_the_element(tmp_path: Path) -> None:
    toml = """
[named_credentials.Orders.operations.register]
mock = { status = 503, body = "down for maintenance" }
"""
    with open_org(project(tmp_path, toml)) as org:
        [result] = org.run("Register_Order", [{"Order": "A-1"}]).batch.results
        assert result.failure is not None
        assert result.failure.message == "The callout Orders.register answered 503: down for maintenance"
        assert org.outbox.messages() == []  # the failed interview's work, its log entry included, was undone


def test_an_unconfigured_operation_faults_saying_how_to_configure_it(tmp_path: Path) -> None:
    with open_org(project(tmp_path, "")) as org:
        assert not org.actions.has("externalService", "Orders.register")
        [result] = org.run("Register_Order", [{"Order": "A-1"}]).batch.results
        assert result.failure is not None
        assert result.failure.message == ("The externalService action Orders.register isn't configured: declare "
                                          "[named_credentials.Orders.operations.register] in flowforce.toml.")
