"""The pytest plugin as a user meets it: test files that ask for `org`, run by pytest in a sub-session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.runtime.flows import counter_loop, write_project

pytest_plugins = ["pytester"]

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "flow-corpus"
DATA_HOLDER = CORPUS / "steinwinde__flowex" / "Data_Holder.flow-meta.xml"
SEED = Path(__file__).resolve().parents[1] / "records" / "fixtures"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "proj", {"Counter_Loop": counter_loop()})


def test_a_failed_assertion_shows_the_interview_path(pytester: pytest.Pytester, project: Path) -> None:
    pytester.makepyfile(test_counter=f"""
        from flowforce.testing import assert_outputs
        flowforce_project = {str(project)!r}

        def test_counts(org):
            assert_outputs(org.invoke("Counter_Loop", {{"Times": 3}}), Count=3)

        def test_wrong(org):
            assert_outputs(org.invoke("Counter_Loop", {{"Times": 2}}), Count=5)
    """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*Counter_Loop outputs differ — Count: got Decimal('2'), expected 5*",
        "*Counter_Loop: Finished*",
        "*1. Step (FlowAssignment)*Count=1*",
        "*2. More (FlowDecision) -> Again*",
        "*4. More (FlowDecision) -> Done*",
    ])


def test_the_marker_chooses_the_project_and_settings(pytester: pytest.Pytester, project: Path) -> None:
    pytester.makepyfile(test_marked=f"""
        import pytest

        @pytest.mark.flowforce(project={str(project)!r})
        def test_marked(org):
            assert org.invoke("Counter_Loop", {{"Times": 4}})["Count"] == 4
            assert org.org.settings.project_dir.name == "proj"
    """)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_each_test_gets_a_fresh_store(pytester: pytest.Pytester, project: Path) -> None:
    pytester.makeini(f"[pytest]\nflowforce_project = {project}\n")
    pytester.makepyfile(test_fresh="""
        import pytest

        @pytest.mark.parametrize("name", ["first", "second"])
        def test_alone(org, name):
            assert org.query("SELECT Id FROM Account") == []
            org.insert("Account", {"Name": name})
            assert [row["Name"] for row in org.query("SELECT Name FROM Account")] == [name]
    """)
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


@pytest.mark.skipif(not DATA_HOLDER.exists(), reason="../shared/flow-corpus is absent")
def test_mocking_an_apex_action_of_a_corpus_flow(tmp_path: Path) -> None:
    from flowforce.testing import TestOrg

    root = write_project(tmp_path / "flowex", {})
    shutil.copy(DATA_HOLDER, root / "force-app" / "main" / "default" / "flows")
    org = TestOrg.open(root, f"sqlite:///{tmp_path / 'org.db'}")
    try:
        unmocked = org.invoke("Data_Holder")
        assert (unmocked.status, unmocked.failed_element) == ("Error", "Get_Data_Holder_Proc")
        assert "The Apex action DataHolderProducer isn't available in flowforce" in (unmocked.error or "")
        producer = org.mock_action("apex", "DataHolderProducer", returns={"someDataHolder": {"name": "x"}})
        assert org.invoke("Data_Holder").status == "Finished"
        assert producer.calls == [{"endpoint": "bingo"}]  # the flow's SomeString default
        org.mock_action("apex", "DataHolderProducer", returns=RuntimeError("endpoint down"))
        failed = org.invoke("Data_Holder")
        assert (failed.status, failed.error) == ("Error", "endpoint down")
    finally:
        org.close()


def test_records_come_from_sf_data_import_tree_files(tmp_path: Path) -> None:
    from flowforce.testing import TestOrg

    org = TestOrg.open(SEED / "project", f"sqlite:///{tmp_path / 'org.db'}")
    try:
        counts = org.load_tree(SEED / "seed" / "plan.json")
        assert counts == {name: len(org.query(f"SELECT Id FROM {name}"))
                          for name in ("Account", "Contact", "Invoice__c", "Invoice_Line__c")}
        assert counts["Invoice__c"] > 0
        assert all(row["Account__r"]["Name"] for row in org.query("SELECT Account__r.Name FROM Invoice__c"))
    finally:
        org.close()


@pytest.mark.skipif(not os.environ.get("FLOWFORCE_TEST_DATABASE_URL"), reason="FLOWFORCE_TEST_DATABASE_URL unset")
def test_postgresql_gives_each_test_a_schema_of_its_own(pytester: pytest.Pytester, project: Path) -> None:
    pytester.makepyfile(test_pg=f"""
        import pytest
        flowforce_project = {str(project)!r}

        @pytest.mark.parametrize("name", ["first", "second"])
        def test_alone(org, name):
            assert org.org.store.engine.dialect.name == "postgresql"
            assert org.query("SELECT Id FROM Account") == []
            org.insert("Account", {{"Name": name}})
    """)
    url = os.environ["FLOWFORCE_TEST_DATABASE_URL"]
    pytester.runpytest_inprocess("-p", "no:cacheprovider", f"--flowforce-database={url}").assert_outcomes(passed=2)


REGISTER_ORDER = """<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>Register Order</label><processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start><locationX>0</locationX><locationY>0</locationY>
    <connector><targetReference>Register</targetReference></connector></start>
  <variables><name>Order</name><dataType>String</dataType><isCollection>false</isCollection>
    <isInput>true</isInput><isOutput>false</isOutput></variables>
  <variables><name>Ticket</name><dataType>String</dataType><isCollection>false</isCollection>
    <isInput>false</isInput><isOutput>true</isOutput></variables>
  <actionCalls><name>Register</name><label>Register</label><locationX>0</locationX><locationY>0</locationY>
    <actionName>Orders.register</actionName><actionType>externalService</actionType>
    <inputParameters><name>order</name><value><elementReference>Order</elementReference></value></inputParameters>
    <outputParameters><assignToReference>Ticket</assignToReference><name>ticket</name></outputParameters>
  </actionCalls>
</Flow>
"""


def test_callouts_are_answered_by_the_test_and_recorded(tmp_path: Path) -> None:
    import re

    from flowforce.testing import TestOrg

    root = write_project(tmp_path / "shop", {"Register_Order": REGISTER_ORDER})
    (root / "flowforce.toml").write_text(
        '[named_credentials.Orders]\nurl = "https://orders.example.test/api"\n'
        '[named_credentials.Orders.operations.register]\nmethod = "POST"\npath = "/orders"\n')
    org = TestOrg.open(root, f"sqlite:///{tmp_path / 'org.db'}")
    try:
        unmocked = org.invoke("Register_Order", {"Order": "A-1"})
        assert unmocked.status == "Error" and "no mocked callout matches POST https://orders.example.test/api/orders" \
            in (unmocked.error or "")
        orders = org.mock_callout("POST", "https://orders.example.test/api/orders", json={"ticket": "T-42"})
        assert org.invoke("Register_Order", {"Order": "A-2"})["Ticket"] == "T-42"
        assert [(call["method"], call["json"]) for call in orders.calls] == [("POST", {"order": "A-2"})]
        org.mock_callout("*", re.compile(r"orders\.example\.test"), status=503, text="down for maintenance")
        orders.url = "https://elsewhere.test/"  # the first route no longer matches: the regex one answers
        down = org.invoke("Register_Order", {"Order": "A-3"})
        assert down.error == "The callout Orders.register answered 503: down for maintenance"
        assert [message.subject for message in org.outbox.callouts] == ["200"]  # a faulted run logs nothing
    finally:
        org.close()
