"""Where a project's actions come from — `flowforce_actions/*.py`, installed packages' `flowforce.actions` entry
points, flowforce.toml stubs — and that `flowforce check` sees the same actions a run would."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import flowforce.actions.python as python_actions
from flowforce.actions import invocable_action
from flowforce.actions.project import project_registry
from flowforce.actions.python import ActionLoadError
from flowforce.actions.stubs import StubError
from flowforce.lint.command import CheckOptions, lint_paths

LOC = "<locationX>0</locationX><locationY>0</locationY>"
FLOW = f"""<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <apiVersion>62.0</apiVersion><label>Score</label><processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start>{LOC}<connector><targetReference>Score</targetReference></connector></start>
  <actionCalls><name>Score</name><label>Score</label>{LOC}
    <actionName>CreditScorer</actionName><actionType>apex</actionType></actionCalls>
</Flow>
"""


@invocable_action("FromPackage", label="From a package")
def from_package(requests: Any, context: Any) -> list[dict[str, Any]]:
    return [{} for _ in requests]


def project(root: Path, *, module: str | None = None, toml: str | None = None) -> Path:
    flows = root / "force-app" / "main" / "default" / "flows"
    flows.mkdir(parents=True)
    (root / "sfdx-project.json").write_text('{"packageDirectories":[{"path":"force-app","default":true}]}')
    (flows / "Score.flow-meta.xml").write_text(FLOW)
    if module is not None:
        (root / "flowforce_actions").mkdir()
        (root / "flowforce_actions" / "scoring.py").write_text(module)
    if toml is not None:
        (root / "flowforce.toml").write_text(toml)
    return root


def problems(root: Path) -> list[str]:
    report = lint_paths([root], CheckOptions())
    return [problem.message for line in report.check.lines for problem in line.problems]


def test_check_warns_about_the_missing_apex_class_and_not_once_it_is_written(tmp_path: Path) -> None:
    bare = project(tmp_path / "bare")
    assert problems(bare) == ["Apex action CreditScorer is not available: write a Python invocable action named "
                              "CreditScorer (@invocable_action in flowforce_actions/*.py) or stub it under "
                              "[actions.apex.CreditScorer] in flowforce.toml"]
    written = project(tmp_path / "written", module=(
        "from flowforce.actions import invocable_action\n"
        "@invocable_action('CreditScorer')\n"
        "def score(requests, context):\n"
        "    return [{} for _ in requests]\n"))
    assert problems(written) == []
    stubbed = project(tmp_path / "stubbed", toml='[actions.apex.CreditScorer]\noutputs = { score = 1 }\n')
    assert problems(stubbed) == []


def test_installed_packages_provide_actions_through_entry_points(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    point = SimpleNamespace(name="scoring", value="scoring_pkg:from_package", load=lambda: from_package)
    monkeypatch.setattr(python_actions, "entry_points", lambda group: [point] if group == "flowforce.actions" else [])
    registry = project_registry(project(tmp_path))
    assert registry.get("apex", "FromPackage") is from_package


def test_a_broken_entry_point_is_refused_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> None:
        raise ImportError("no module named scoring_pkg")

    point = SimpleNamespace(name="scoring", value="scoring_pkg:actions", load=fail)
    monkeypatch.setattr(python_actions, "entry_points", lambda group: [point])
    with pytest.raises(ActionLoadError, match=r"entry point scoring \(scoring_pkg:actions\) could not be loaded"):
        project_registry(project(tmp_path))


def test_a_stub_with_unknown_keys_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StubError, match=r"\[actions.apex.CreditScorer\]: unknown keys output"):
        project_registry(project(tmp_path, toml='[actions.apex.CreditScorer]\noutput = { score = 1 }\n'))


def test_commands_say_what_is_wrong_with_the_setup_without_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flowforce.cli import app

    root = project(tmp_path, toml='[actions.apex.CreditScorer]\noutput = { score = 1 }\n')
    runner = CliRunner()
    for args in (["serve", str(root), "--port", "1"], ["run", "Score", "--project", str(root)],
                 ["outbox", "--project", str(root)], ["check", str(root)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "[actions.apex.CreditScorer]: unknown keys output" in result.output, args
        assert "Traceback" not in result.output
