"""Helpers for metadata tests: the hand-made flow files beside them and the shared real corpus."""

from __future__ import annotations

from pathlib import Path

from flowforce.metadata.model import Flow
from flowforce.metadata.parser import parse_flow_file
from flowforce.metadata.problems import Problem
from flowforce.metadata.validate import validate_flow

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "flow-corpus"


def fixture_path(name: str) -> Path:
    return FIXTURES / f"{name}.flow-meta.xml"


def load_fixture(name: str) -> Flow:
    return parse_flow_file(fixture_path(name))


def messages(problems: list[Problem], severity: str | None = None) -> list[str]:
    return [str(problem) for problem in problems if severity is None or problem.severity == severity]


def validate_fixture(name: str, **options: object) -> list[Problem]:
    return validate_flow(load_fixture(name), **options)  # type: ignore[arg-type]
