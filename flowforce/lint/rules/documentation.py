"""Names and descriptions: what makes a flow findable and readable by the next person."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from flowforce.lint.facts import FlowFacts
from flowforce.lint.rule import RuleOptionError, RuleOptions, Violation

DEFAULT_NAME_PATTERN = "[A-Za-z0-9]+_[A-Za-z0-9]+"
COPIED_NAME = re.compile(r"Copy_[0-9]+_of_[A-Za-z0-9]+")


@cache
def _pattern(expression: str) -> re.Pattern[str]:
    try:
        return re.compile(expression)
    except re.error as error:
        raise RuleOptionError(f"the expression {expression!r} is not a regular expression: {error}") from None


def invalid_naming_convention(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    expression = options.expression or DEFAULT_NAME_PATTERN
    name = facts.flow.api_name
    if not _pattern(expression).search(name):  # like the scanner's RegExp.test: a match anywhere will do
        yield Violation(name, f"the flow name {name} does not follow the naming convention {expression}")


def missing_flow_description(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    if not (facts.flow.description or "").strip():
        yield Violation("undefined", "the flow has no description", tag="description")


def missing_metadata_description(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    flow = facts.flow
    groups: tuple[Any, ...] = (
        flow.nodes, flow.variables, flow.constants, flow.formulas, flow.text_templates, flow.choices,
        flow.dynamic_choice_sets,
    )
    for group in groups:
        for name, item in group.items():
            if not (item.description or "").strip():
                yield Violation(name, f"{name} has no description", element=name)


def unclear_api_naming(facts: FlowFacts, options: RuleOptions) -> Iterator[Violation]:
    for name in facts.flow.nodes:
        if COPIED_NAME.search(name):
            yield Violation(name, f"{name} kept the name Flow Builder gave the copy; rename it for what it does",
                            element=name)
