"""Everything rules ask about one loaded flow, each computed at most once and only when a rule asks."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from functools import cache, cached_property
from typing import Any, TypeVar

from flowforce.lint.graph import FlowGraph
from flowforce.lint.source import FlowSource, read_source
from flowforce.metadata import model
from flowforce.metadata.formulas import check_formula
from flowforce.metadata.project import LoadedFlow
from flowforce.metadata.references import merge_field_references, split_reference

N = TypeVar("N", bound=model.Node)
RECORD_TRIGGERS = frozenset({"RecordAfterSave", "RecordBeforeSave", "RecordBeforeDelete"})
# Fields of the model that hold a reference (not a connector target, which names an element to go to).
_REFERENCE_FIELD = re.compile(r"(_reference|^field_selection)$")
# Fields holding a formula: its references may be bare (`Amount > 1`) as well as `{!merged}`.
FORMULA_FIELDS = frozenset({"expression", "formula_expression", "filter_formula", "formula"})


class FlowFacts:
    def __init__(self, loaded: LoadedFlow) -> None:
        self.loaded = loaded
        self.flow: model.Flow = loaded.flow

    @cached_property
    def graph(self) -> FlowGraph:
        return FlowGraph(self.flow)

    @cached_property
    def source(self) -> FlowSource:
        return read_source(self.flow.source_path)

    @property
    def trigger_type(self) -> str | None:
        return self.flow.trigger_type

    @property
    def record_triggered(self) -> bool:
        return self.trigger_type in RECORD_TRIGGERS

    def nodes_of(self, kind: type[N] | tuple[type[N], ...]) -> list[N]:
        return [node for node in self.flow.nodes.values() if isinstance(node, kind)]

    # ------------------------------------------------------------------------------------------ references

    @cached_property
    def references_by_holder(self) -> dict[str, frozenset[str]]:
        """Element or resource name → the resource roots it refers to (lower case), from the model:
        `*Reference` fields, and `{!merge}` fields in texts and formulas (flow formulas write them too)."""
        holders: dict[str, frozenset[str]] = {}
        flow = self.flow
        groups: tuple[Any, ...] = (
            flow.nodes, flow.variables, flow.constants, flow.formulas, flow.text_templates, flow.choices,
            flow.dynamic_choice_sets, flow.stages,
        )
        for group in groups:
            for name, item in group.items():
                holders[name] = frozenset(_references_in(item))
        start = flow.start
        holders["$start"] = frozenset(_references_in(start)) if start is not None else frozenset()
        holders["$interviewLabel"] = frozenset(_roots(merge_field_references(flow.interview_label)))
        return holders

    def users_of(self, resource: str) -> list[str]:
        """Elements and resources (other than *resource* itself) that refer to *resource*."""
        key = resource.lower()
        return [holder for holder, roots in self.references_by_holder.items() if key in roots and holder != resource]


@cache
def _field_names(cls: Any) -> tuple[str, ...]:
    return tuple(item.name for item in dataclasses.fields(cls))


def _roots(references: Any) -> Iterator[str]:
    for reference in references:
        parts = split_reference(reference)
        if parts:
            yield parts[0].lower()


def _references_in(item: Any) -> Iterator[str]:
    """Walk a model object's fields; yield the root name of every reference it holds."""
    stack: list[tuple[str, Any]] = [("", item)]
    while stack:
        field_name, value = stack.pop()
        if value is None or isinstance(value, (bool, int)):
            continue
        if isinstance(value, model.Connector):
            continue
        if isinstance(value, model.FlowValue):
            if value.kind is model.ValueKind.REFERENCE and value.text:
                yield from _roots([value.text])
            elif value.kind is model.ValueKind.FORMULA and value.text:
                yield from _roots(check_formula(value.text).references)
            elif isinstance(value.text, str):
                yield from _roots(merge_field_references(value.text))
            continue
        if isinstance(value, str):
            if field_name == "name":
                continue
            if _REFERENCE_FIELD.search(field_name):
                yield from _roots([value])
            elif field_name in FORMULA_FIELDS:
                yield from _roots(check_formula(value).references)
            else:
                yield from _roots(merge_field_references(value))
            continue
        if isinstance(value, tuple):
            stack.extend((field_name, member) for member in value)
        elif dataclasses.is_dataclass(value):
            stack.extend((name, getattr(value, name)) for name in _field_names(value.__class__))
