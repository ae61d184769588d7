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
        assert "apex:DataHolderProducer isn't registered" in (unmocked.error or "")
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
