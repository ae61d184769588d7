"""What a lint rule is: the Lightning Flow Scanner's identity (id, legacy class name, category, default
severity, beta status) plus a check over one flow's facts.

Rule ids, categories and severities follow the scanner (reference/flow-tests-and-rules.md §2.2) so a team can
move its `.flow-scanner.yml` over unchanged. The check is flowforce's own: graph-based where the scanner is
pattern-based.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowforce.lint.facts import FlowFacts


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return SEVERITY_RANK[self]


SEVERITY_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.NOTE: 1}


class Category(StrEnum):
    PROBLEM = "problem"
    SUGGESTION = "suggestion"
    LAYOUT = "layout"


# The scanner's process-type groups (`FlowType`): which flows a rule looks at. Process Builder (`Workflow`)
# flows are only ever checked by process-builder-usage.
AUTOLAUNCHED = frozenset({"AutoLaunchedFlow"})
BACK_END = frozenset(
    {"AutoLaunchedFlow", "CustomEvent", "InvocableProcess", "Orchestrator", "EvaluationFlow",
     "ActionCadenceAutolaunchedFlow"}
)
VISUAL = frozenset(
    {"Flow", "IndividualObjectLinkingFlow", "LoginFlow", "RoutingFlow", "Appointments", "ActionCadenceStepFlow",
     "ContactRequestFlow", "CustomerLifecycle", "FieldServiceMobile", "FieldServiceWeb", "SurveyEnrich"}
)
SURVEY = frozenset({"Survey"})
PROCESS_BUILDER = frozenset({"Workflow"})
ALL_TYPES = BACK_END | VISUAL | SURVEY
RUNNABLE_TYPES = BACK_END | VISUAL


class RuleOptionError(ValueError):
    """A rule's `expression` or `threshold` from the configuration cannot be used."""


@dataclass(frozen=True, slots=True)
class RuleOptions:
    """A rule's configurable knobs from the config file (`expression`, `threshold`)."""

    expression: str | None = None
    threshold: int | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    """What a check reports about one flow.

    `name` is what the scanner's exceptions match: the element or resource name, or for a finding about the
    flow as a whole the offending value (`Draft`, `49`, `FREE_FORM_CANVAS`). `element` is set when the finding
    is about an element or resource, `tag` when it is about a flow-level XML tag; both place it in the file.
    """

    name: str
    message: str
    element: str | None = None
    tag: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


Check = Callable[["FlowFacts", RuleOptions], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    id: str
    legacy_name: str
    label: str
    category: Category
    severity: Severity
    description: str
    check: Check
    applies_to: frozenset[str] = ALL_TYPES
    beta: bool = False
    #: The scanner's "system" rules: structure that Flow Builder itself prevents (hand- or AI-edited XML).
    system: bool = False
    #: What `flowforce check --run` can add that the static rule cannot (for the docs table).
    runtime_fact: str = ""

    def applies(self, process_type: str) -> bool:
        return process_type in self.applies_to
