"""Ways to print a lint report: the human table, and JSON, SARIF 2.1.0 and JUnit XML for machines."""

from __future__ import annotations

from collections.abc import Callable

from flowforce.lint.formats.json_report import render_json
from flowforce.lint.formats.junit import render_junit
from flowforce.lint.formats.sarif import render_sarif
from flowforce.lint.scan import LintReport

MACHINE_FORMATS: dict[str, Callable[[LintReport], str]] = {
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
}

__all__ = ["MACHINE_FORMATS"]
