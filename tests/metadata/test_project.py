"""Loading projects: versions by file name, InvalidDraft status, and failures that never raise."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flowforce.metadata.project import FlowLibrary, LoadFailure, assign_versions

from .metadata_helpers import FIXTURES, fixture_path


def failure_for(name: str) -> LoadFailure:
    library = FlowLibrary.load([fixture_path(name)])
    assert len(library) == 0
    (failure,) = library.failures
    return failure


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Xxe", "DOCTYPE and ENTITY declarations are not allowed in metadata files"),
        ("Billion_Laughs", "DOCTYPE and ENTITY declarations are not allowed in metadata files"),
        ("Not_A_Flow", "root element is <CustomObject>, expected <Flow>"),
        ("Bad_Value_Type", "Element flag: <isInput>: expected true or false, found 'maybe'"),
    ],
)
def test_unreadable_files_are_load_failures(name: str, message: str) -> None:
    failure = failure_for(name)
    assert (failure.path, failure.message) == (str(fixture_path(name).resolve()), message)


def test_broken_xml_is_a_load_failure() -> None:
    assert failure_for("Broken_Xml").message.startswith("not well-formed XML: ")


def test_missing_paths_and_non_flow_files_are_failures(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    library = FlowLibrary.load([tmp_path / "missing", other])
    assert [failure.message for failure in library.failures] == [
        "no such file or folder",
        "not a flow file (expected *.flow-meta.xml or *.flow)",
    ]


def test_numbered_files_are_versions_of_one_flow() -> None:
    library = FlowLibrary.load([FIXTURES / "versions"])
    assert library.names() == ["Versioned"]
    assert [(v.flow.version, v.effective_status) for v in library.versions("versioned")] == [
        (1, "Obsolete"),
        (2, "Active"),
        (3, "Draft"),
    ]
    active = library.active("VERSIONED")
    assert active is not None and active.flow.version == 2
    runnable = library.runnable_version("Versioned")
    assert runnable is not None and runnable.flow.version == 2
    latest = library.get("Versioned", 3)
    assert latest is not None and latest.path and latest.path.endswith("Versioned-3.flow-meta.xml")


def test_without_an_active_version_the_latest_valid_one_runs(tmp_path: Path) -> None:
    shutil.copy(fixture_path("Unbalanced_Formula"), tmp_path / "Calc-2.flow-meta.xml")
    text = (FIXTURES / "versions" / "Versioned-3.flow-meta.xml").read_text()
    (tmp_path / "Calc.flow-meta.xml").write_text(text)
    library = FlowLibrary.load([tmp_path])
    assert [v.effective_status for v in library.versions("Calc")] == ["Draft", "InvalidDraft"]
    runnable = library.runnable_version("Calc")
    assert runnable is not None and runnable.flow.version == 1


def test_a_flow_with_errors_is_an_invalid_draft_and_an_active_claim_is_an_error() -> None:
    (loaded,) = FlowLibrary.load([fixture_path("Unbalanced_Formula")])
    assert loaded.effective_status == "InvalidDraft"
    assert str(loaded.errors[0]) == (
        "the file says Active but Salesforce would not activate it: Element Discount: the formula does not "
        "compile: Syntax error at line 1, column 39: unexpected end of formula"
    )


def test_a_draft_with_errors_just_becomes_an_invalid_draft() -> None:
    (loaded,) = FlowLibrary.load([fixture_path("Dangling_Connector")])
    assert loaded.effective_status == "InvalidDraft"
    assert not [p for p in loaded.problems if "says Active" in p.message]


def test_plain_name_is_version_one_unless_claimed_then_next_free(tmp_path: Path) -> None:
    files = [
        tmp_path / "a" / "Name.flow-meta.xml",
        tmp_path / "b" / "Name.flow-meta.xml",
        tmp_path / "Name-1.flow-meta.xml",
        tmp_path / "Name-4.flow-meta.xml",
    ]
    claims = assign_versions(files)
    assert {file.relative_to(tmp_path).as_posix(): claim.version for file, claim in claims.items()} == {
        "Name-1.flow-meta.xml": 1,
        "Name-4.flow-meta.xml": 4,
        "a/Name.flow-meta.xml": 5,
        "b/Name.flow-meta.xml": 6,
    }
    assert claims[files[0]].clashes_with == tmp_path / "Name-1.flow-meta.xml"


def test_clashing_files_load_with_a_warning(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        shutil.copy(FIXTURES / "versions" / "Versioned.flow-meta.xml", tmp_path / folder)
    library = FlowLibrary.load([tmp_path])
    first, second = library.versions("Versioned")
    assert (first.flow.version, second.flow.version) == (1, 2)
    assert [p.message for p in second.warnings] == [
        f"version 1 of Versioned is also in {(tmp_path / 'one' / 'Versioned.flow-meta.xml').resolve()}; "
        f"loaded as version 2"
    ]


def test_two_active_versions_keep_only_the_highest_active(tmp_path: Path) -> None:
    source = (FIXTURES / "versions" / "Versioned-2.flow-meta.xml").read_text()
    (tmp_path / "Twice.flow-meta.xml").write_text(source)
    (tmp_path / "Twice-2.flow-meta.xml").write_text(source)
    library = FlowLibrary.load([tmp_path])
    assert [v.effective_status for v in library.versions("Twice")] == ["Obsolete", "Active"]


def test_an_sfdx_project_loads_flows_of_its_package_directories(tmp_path: Path) -> None:
    (tmp_path / "sfdx-project.json").write_text(json.dumps({"packageDirectories": [{"path": "force-app"}]}))
    flows = tmp_path / "force-app" / "main" / "default" / "flows"
    flows.mkdir(parents=True)
    shutil.copy(FIXTURES / "versions" / "Versioned.flow-meta.xml", flows)
    outside = tmp_path / "scratch"
    outside.mkdir()
    shutil.copy(fixture_path("Xxe"), outside)  # not in a package directory: ignored
    library = FlowLibrary.load([tmp_path])
    assert (library.names(), library.failures) == (["Versioned"], [])


def test_a_folder_is_searched_recursively_skipping_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "versions" / "Versioned.flow-meta.xml", tmp_path / "deep" / "er")
    shutil.copy(fixture_path("Xxe"), tmp_path / ".git")
    library = FlowLibrary.load([tmp_path])
    assert (library.names(), library.failures) == (["Versioned"], [])


def test_a_validator_bug_becomes_a_load_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object, **_kwargs: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr("flowforce.metadata.project.validate_flow", explode)
    library = FlowLibrary.load([FIXTURES / "versions"])
    assert {failure.message for failure in library.failures} == {"internal error while validating: RuntimeError: boom"}
