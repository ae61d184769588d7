"""Flow-level settings: process type, run mode, status, API version, canvas mode."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import RuleOptionError, RuleOptions, Violation


def process_builder_usage(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    yield Violation(
        facts.flow.process_type,
        "this is a Process Builder process (processType Workflow), which Salesforce has retired; migrate it to a "
        "record-triggered flow",
        tag="processType",
    )


def unsafe_running_context(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    if facts.flow.run_in_mode == "SystemModeWithoutSharing":
        yield Violation(
            "SystemModeWithoutSharing",
            "the flow runs in system mode without sharing: every user who runs it can read and change all data",
            tag="runInMode",
        )


def inactive_flow(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    status = facts.flow.status
    if status != "Active":
        yield Violation(status, f"the flow is {status}, not Active", tag="status")


_COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
    "===": operator.eq, "==": operator.eq, "!==": operator.ne, "!=": operator.ne,
}
_EXPRESSION = re.compile(r"^\s*(>=|<=|===|!==|==|!=|>|<)\s*(\d+(?:\.\d+)?)\s*$")
DEFAULT_API_EXPRESSION = ">= 50"


def _version_text(version: Decimal) -> str:
    return str(int(version)) if version == version.to_integral_value() else str(version)


def invalid_api_version(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    expression = options.expression or DEFAULT_API_EXPRESSION
    match = _EXPRESSION.match(expression)
    if match is None:
        raise RuleOptionError(f"the expression {expression!r} is not a comparison like '>= 58'")
    version = facts.flow.api_version
    if version is None:
        yield Violation("<49", "the flow has no apiVersion, so it runs with the behaviour of API 49 or older",
                        tag="apiVersion")
    elif not _COMPARISONS[match[1]](version, Decimal(match[2])):
        yield Violation(
            _version_text(version), f"the flow's API version {_version_text(version)} does not meet {expression}",
            tag="apiVersion",
        )


def missing_auto_layout(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    metadata = facts.source.process_metadata
    if not metadata:
        return  # not saved by Flow Builder: there is no canvas to lay out
    mode = metadata.get("CanvasMode") or "undefined"
    if mode != "AUTO_LAYOUT_CANVAS":
        yield Violation(mode, f"the flow's canvas is {mode}, not auto-layout", tag="processMetadataValues")
