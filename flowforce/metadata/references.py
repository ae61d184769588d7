"""The resource namespace of a flow: every name a reference (`elementReference`, `{!merge}`) can start with.

The validator uses it to prove a flow's references resolve before the flow is accepted, and the engine uses
the same map at run time, so both agree on what `Get_Account`, `Loop_1` or `$Record__Prior` mean
(reference/flow-metadata.md §4, §4.4, §9.1). Names are case-insensitive when resolving (§1). The index knows
types only as far as the metadata states them; record fields are checked against a schema separately
(`check_field_path`), because custom objects of real projects are often not known to us.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from flowforce.formula.parser import PATH_RE
from flowforce.metadata import model
from flowforce.metadata.enums import RECORD_BOUND_TRIGGERS, RECORD_TRIGGERS

# The same rule as text templates at run time (flowforce.formula.template): only a well-formed path inside
# `{! }` is a merge field; anything else starting with `{!` stays literal text.
_MERGE_FIELD = re.compile(r"\{!\s*(" + PATH_RE.pattern + r")\s*\}")


class ResourceKind(StrEnum):
    VARIABLE = "variable"
    CONSTANT = "constant"
    FORMULA = "formula"
    TEXT_TEMPLATE = "text template"
    CHOICE = "choice"
    CHOICE_SET = "choice set"
    STAGE = "stage"
    RECORD_LOOKUP = "Get Records output"
    CREATED_ID = "Create Records output"
    ACTION_OUTPUT = "action output"
    SUBFLOW_OUTPUT = "subflow output"
    COLLECTION_OUTPUT = "collection processor output"
    LOOP_ITEM = "loop item"
    TRANSFORM_OUTPUT = "transform output"
    OUTCOME = "decision outcome"
    WAIT_EVENT = "wait event"
    SCREEN_FIELD = "screen field"
    STAGE_STEP = "orchestration step"
    GLOBAL = "global variable"
    FIELD = "field"


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    """What a (possibly dotted) reference denotes, as far as the metadata tells.

    `data_type` is a FlowDataType (`String`, `SObject`, …) or None when unknown (an action output, a record
    field without a schema). `open` means any member path is accepted without checking (action outputs,
    Apex-defined types, `$Label.*`). `field_path` is the part after a record resource (`Owner.Email`).
    """

    name: str
    kind: ResourceKind
    data_type: str | None = None
    object_type: str | None = None
    is_collection: bool = False
    writable: bool = False
    open: bool = False
    field_path: tuple[str, ...] = ()

    @property
    def is_record(self) -> bool:
        return self.data_type == "SObject" and not self.is_collection and not self.field_path


class Unresolved(str):
    """Why a reference does not resolve; a str so it reads directly as a problem message."""


def split_reference(text: str) -> tuple[str, ...]:
    """`$Record__Prior.Account.Name` → ('$Record__Prior', 'Account', 'Name'); `{! }` is stripped.

    Only dots separate segments: `__c`, `__r` and `__Prior` are part of a name.
    """
    stripped = text.strip()
    if stripped.startswith("{!") and stripped.endswith("}"):
        stripped = stripped[2:-1].strip()
    if not stripped:
        return ()
    return tuple(part.strip() for part in stripped.split("."))


def merge_field_references(text: str | None) -> list[str]:
    """Every `{!ref}` in *text*, as written inside the braces, in order of appearance."""
    if not text:
        return []
    return [match.group(1).strip() for match in _MERGE_FIELD.finditer(text)]


# ---------------------------------------------------------------------------------------------- globals


def _member(name: str, data_type: str, *, collection: bool = False, writable: bool = False) -> ResourceInfo:
    return ResourceInfo(name, ResourceKind.GLOBAL, data_type, None, collection, writable)


#: reference/flow-metadata.md §4.4. Only these namespaces have a closed member list we can check.
CLOSED_GLOBALS: dict[str, dict[str, ResourceInfo]] = {
    "$Flow": {
        member.name.lower(): member
        for member in (
            _member("CurrentDate", "Date"),
            _member("CurrentDateTime", "DateTime"),
            _member("InterviewStartTime", "DateTime"),
            _member("InterviewGuid", "String"),
            _member("FaultMessage", "String"),
            _member("CurrentRecord", "String", writable=True),
            _member("CurrentStage", "String", writable=True),
            _member("ActiveStages", "String", collection=True, writable=True),
        )
    },
    "$GlobalConstant": {
        member.name.lower(): member
        for member in (
            _member("True", "Boolean"),
            _member("False", "Boolean"),
            _member("EmptyString", "String"),
        )
    },
    "$System": {"origindatetime": _member("OriginDateTime", "DateTime")},
}

#: Globals that are a record of a standard object: their fields can be checked against a schema.
RECORD_GLOBALS = {
    "$User": "User",
    "$Profile": "Profile",
    "$UserRole": "UserRole",
    "$Organization": "Organization",
}

#: "References to global variables in formulas aren't validated" (reference/flow-metadata.md §4.4).
OPEN_GLOBALS = ("$Api", "$Label", "$Setup", "$Permission", "$CustomMetadata", "$Client")


def _global_roots() -> dict[str, ResourceInfo]:
    roots: dict[str, ResourceInfo] = {}
    for name in CLOSED_GLOBALS:
        roots[name.lower()] = ResourceInfo(name, ResourceKind.GLOBAL)
    for name, object_type in RECORD_GLOBALS.items():
        roots[name.lower()] = ResourceInfo(name, ResourceKind.GLOBAL, "SObject", object_type)
    for name in OPEN_GLOBALS:
        roots[name.lower()] = ResourceInfo(name, ResourceKind.GLOBAL, open=True)
    return roots


# ---------------------------------------------------------------------------------------------- the index


class ResourceIndex:
    """Case-insensitive map from resource names to `ResourceInfo`, built once per flow version."""

    def __init__(
        self,
        entries: Mapping[str, ResourceInfo],
        element_names: Iterable[str],
        record_unavailable: str | None = None,
    ) -> None:
        self._entries = {key.lower(): info for key, info in entries.items()}
        self._elements = {name.lower(): name for name in element_names}
        self._record_unavailable = record_unavailable

    @classmethod
    def for_flow(cls, flow: model.Flow) -> ResourceIndex:
        return _IndexBuilder(flow).build()

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._entries

    def names(self) -> list[str]:
        return [info.name for info in self._entries.values()]

    def is_element(self, name: str) -> bool:
        return name.lower() in self._elements

    def lookup(self, path: str | tuple[str, ...]) -> ResourceInfo | None:
        """The resource a reference denotes, or None when it does not resolve."""
        result = self.resolve(path)
        return None if isinstance(result, Unresolved) else result

    def resolve(self, path: str | tuple[str, ...]) -> ResourceInfo | Unresolved:
        """Like `lookup`, but says why a reference does not resolve."""
        segments = split_reference(path) if isinstance(path, str) else path
        if not segments or any(not part for part in segments):
            return Unresolved(f"{'.'.join(segments) or 'an empty reference'} is not a valid reference")
        root = self._entries.get(segments[0].lower())
        if root is None:
            return self._unknown_root(segments[0])
        return self._member(root, segments)

    def _unknown_root(self, name: str) -> Unresolved:
        lowered = name.lower()
        if lowered in ("$record", "$record__prior") and self._record_unavailable:
            return Unresolved(f"{name} {self._record_unavailable}")
        if name.startswith("$"):
            return Unresolved(f"{name} is not a global variable")
        if lowered in self._elements:
            return Unresolved(
                f"{self._elements[lowered]} is an element that stores no output a reference can use"
            )
        return Unresolved(f"{name} does not exist in this flow")

    def _member(self, root: ResourceInfo, segments: tuple[str, ...]) -> ResourceInfo | Unresolved:
        rest = segments[1:]
        if not rest:
            if root.name in CLOSED_GLOBALS:
                return Unresolved(f"{root.name} needs a member, like {root.name}.{_first_member(root.name)}")
            return root
        dotted = ".".join(segments)
        closed = CLOSED_GLOBALS.get(root.name)
        if closed is not None:
            member = closed.get(rest[0].lower())
            if member is None:
                return Unresolved(f"{root.name}.{rest[0]} is not a {root.name} variable")
            if len(rest) > 1:
                return Unresolved(f"{root.name}.{member.name} has no fields, so {dotted} does not exist")
            return replace(member, name=f"{root.name}.{member.name}")
        if root.open:
            return replace(root, name=dotted, data_type=None, object_type=None, is_collection=False)
        if root.data_type == "SObject" and not root.is_collection:
            return ResourceInfo(
                dotted, ResourceKind.FIELD, None, root.object_type, False, root.writable, False, rest
            )
        if root.is_collection:
            return Unresolved(f"{root.name} is a collection, so {dotted} needs a loop over its items")
        kind = f"{root.data_type or 'value'} {root.kind}"
        return Unresolved(f"{root.name} is a {kind} without fields, so {dotted} does not exist")


def _first_member(namespace: str) -> str:
    return next(iter(CLOSED_GLOBALS[namespace].values())).name


class _IndexBuilder:
    """Collects entries from resources, elements and globals; loop items are typed after their sources."""

    def __init__(self, flow: model.Flow) -> None:
        self.flow = flow
        self.entries: dict[str, ResourceInfo] = _global_roots()

    def add(self, info: ResourceInfo) -> None:
        # The parser refuses duplicate names, so a collision here is a resource shadowing a global: keep both
        # readable by letting the flow's own name win, as Flow Builder does for non-$ names.
        self.entries[info.name.lower()] = info

    def build(self) -> ResourceIndex:
        self._resources()
        self._record_globals()
        self._elements()
        index = ResourceIndex(self.entries, self.flow.nodes, self._record_unavailable())
        return self._typed_iterators(index)

    def _resources(self) -> None:
        flow = self.flow
        for variable in flow.variables.values():
            self.add(
                ResourceInfo(
                    variable.name,
                    ResourceKind.VARIABLE,
                    variable.data_type,
                    variable.object_type,
                    variable.is_collection,
                    writable=True,
                    open=variable.data_type == "Apex",
                )
            )
        for constant in flow.constants.values():
            self.add(ResourceInfo(constant.name, ResourceKind.CONSTANT, constant.data_type))
        for formula in flow.formulas.values():
            self.add(ResourceInfo(formula.name, ResourceKind.FORMULA, formula.data_type))
        for template in flow.text_templates.values():
            self.add(ResourceInfo(template.name, ResourceKind.TEXT_TEMPLATE, "String"))
        for choice in flow.choices.values():
            self.add(ResourceInfo(choice.name, ResourceKind.CHOICE, choice.data_type))
        for choice_set in flow.dynamic_choice_sets.values():
            self.add(ResourceInfo(choice_set.name, ResourceKind.CHOICE_SET, choice_set.data_type))
        for stage in flow.stages.values():
            self.add(ResourceInfo(stage.name, ResourceKind.STAGE, "String"))

    def _record_globals(self) -> None:
        start = self.flow.start
        if start is None or not start.object or start.trigger_type not in RECORD_BOUND_TRIGGERS:
            return
        # Assignments may change $Record fields in every record-bound flow (after-save then updates it).
        self.add(ResourceInfo("$Record", ResourceKind.GLOBAL, "SObject", start.object, writable=True))
        if start.trigger_type in RECORD_TRIGGERS:
            self.add(ResourceInfo("$Record__Prior", ResourceKind.GLOBAL, "SObject", start.object))

    def _record_unavailable(self) -> str | None:
        start = self.flow.start
        if start is not None and start.object and start.trigger_type in RECORD_BOUND_TRIGGERS:
            if start.trigger_type in RECORD_TRIGGERS:
                return None
            return "is only available in record-triggered flows"
        return (
            "is only available when the flow is started by a record "
            "(record-triggered, scheduled on an object, or platform event)"
        )

    def _elements(self) -> None:
        for node in self.flow.nodes.values():
            for info in _element_outputs(node):
                self.add(info)

    def _typed_iterators(self, index: ResourceIndex) -> ResourceIndex:
        """Loops and collection processors take the type of their source, which may itself be derived."""
        pending = [
            node
            for node in self.flow.nodes.values()
            if isinstance(node, model.Loop | model.CollectionProcessor)
        ]
        for _ in range(len(pending) + 1):
            changed = False
            for node in pending:
                info = _iterator_output(node, index)
                if info is not None and self.entries.get(info.name.lower()) != info:
                    self.entries[info.name.lower()] = info
                    changed = True
            index = ResourceIndex(self.entries, self.flow.nodes, self._record_unavailable())
            if not changed:
                break
        return index


def stores_output_automatically(node: model.Node) -> bool:
    """Whether the element's name holds its output.

    `storeOutputAutomatically=true` says so; so does the absence of any manual output (no `outputReference`,
    `outputAssignments`, `outputParameters` or Id target): older and hand-edited files that Salesforce saved
    as valid Drafts omit the flag and use the element name (corpus `alexed1/Account_Alerts`,
    `alexed1/Split_Join_Unique_demo`).
    """
    match node:
        case model.RecordLookup():
            manual = bool(node.output_reference or node.output_assignments)
        case model.RecordCreate():
            manual = bool(node.assign_record_id_to_reference or node.input_reference)
        case model.ActionCall() | model.Subflow():
            manual = bool(getattr(node, "output_parameters", ()) or getattr(node, "output_assignments", ()))
        case model.Transform():
            return node.store_output_automatically
        case _:
            return False
    return node.store_output_automatically or not manual


def _element_outputs(node: model.Node) -> list[ResourceInfo]:
    """Resources an element contributes by its name (reference/flow-metadata.md §4.2, §5)."""
    if stores_output_automatically(node):
        match node:
            case model.RecordLookup():
                return [
                    ResourceInfo(
                        node.name,
                        ResourceKind.RECORD_LOOKUP,
                        "SObject",
                        node.object or None,
                        not node.get_first_record_only,
                        writable=True,
                    )
                ]
            case model.RecordCreate():
                return [ResourceInfo(node.name, ResourceKind.CREATED_ID, "String")]
            case model.ActionCall():
                return [ResourceInfo(node.name, ResourceKind.ACTION_OUTPUT, open=True)]
            case model.Subflow():
                return [ResourceInfo(node.name, ResourceKind.SUBFLOW_OUTPUT, open=True)]
            case model.Transform():
                return [
                    ResourceInfo(
                        node.name,
                        ResourceKind.TRANSFORM_OUTPUT,
                        node.data_type,
                        node.object_type,
                        node.is_collection,
                        writable=True,
                        open=node.data_type == "Apex",
                    )
                ]
    match node:
        case model.Loop() | model.CollectionProcessor():
            # Typed later from the source collection; until then anything goes.
            kind = ResourceKind.LOOP_ITEM if isinstance(node, model.Loop) else ResourceKind.COLLECTION_OUTPUT
            return [ResourceInfo(node.name, kind, writable=True, open=True)]
        case model.Decision():
            return [ResourceInfo(rule.name, ResourceKind.OUTCOME, "Boolean") for rule in node.rules]
        case model.Wait():
            return [
                ResourceInfo(event.name, ResourceKind.WAIT_EVENT, "Boolean") for event in node.wait_events
            ]
        case model.Screen():
            return [
                ResourceInfo(
                    item.name, ResourceKind.SCREEN_FIELD, item.data_type, item.object_type, open=True
                )
                for item in node.all_fields()
            ]
        case model.OrchestratedStage():  # `Step.Outputs.x`: the step's flow's outputs, not known here
            return [ResourceInfo(step.name, ResourceKind.STAGE_STEP, open=True) for step in node.stage_steps]
    return []


def _iterator_output(
    node: model.Loop | model.CollectionProcessor, index: ResourceIndex
) -> ResourceInfo | None:
    source = index.lookup(node.collection_reference) if node.collection_reference else None
    if isinstance(node, model.Loop):
        if source is None or source.open or not source.is_collection:
            return None
        return ResourceInfo(
            node.name, ResourceKind.LOOP_ITEM, source.data_type, source.object_type, writable=True
        )
    if node.collection_processor_type == "RecommendationMapCollectionProcessor":
        return ResourceInfo(
            node.name,
            ResourceKind.COLLECTION_OUTPUT,
            "SObject",
            node.output_s_object_type or "Recommendation",
            True,
            writable=True,
        )
    if source is None or source.open:
        return None
    # Filter makes a new collection of the same type; Sort sorts in place but its name is readable too.
    return ResourceInfo(
        node.name, ResourceKind.COLLECTION_OUTPUT, source.data_type, source.object_type, True, writable=True
    )


# ---------------------------------------------------------------------------------------------- schema


def check_field_path(schema: Any, object_type: str, field_path: tuple[str, ...]) -> str | None:
    """Walk `Owner.Email` from *object_type* through *schema*; say what is missing, or None when fine.

    *schema* is duck-typed (`has(name)`, `get(name).has_field(field)`, `parent_relationship(...)`), so the
    validator works with `flowforce.records.schema.SchemaRegistry` or any test double.
    """
    current = object_type
    for position, segment in enumerate(field_path):
        if not schema.has(current):
            return f"the object {current} is not known"
        described = schema.get(current)
        last = position == len(field_path) - 1
        if last and described.has_field(segment):
            return None
        target = _relationship_target(schema, described, current, segment)
        if target is None:
            return (
                f"{segment} does not exist on {current}"
                if last
                else f"{current} has no relationship {segment}"
            )
        if target == "":
            return None  # polymorphic relationship: the target object depends on the record
        current = target
    return None


def _relationship_target(schema: Any, described: Any, object_name: str, name: str) -> str | None:
    """The parent object of lookup relationship *name*; "" when polymorphic; None when not a relationship.

    Works with `ObjectSchema` (`has_parent_relationship`, `parent_relationship` → a field whose
    `reference_to` lists the targets) and with simpler doubles returning the target name or None.
    """
    if hasattr(described, "has_parent_relationship") and not described.has_parent_relationship(name):
        return None
    try:
        if hasattr(described, "parent_relationship"):
            result = described.parent_relationship(name)
        elif hasattr(schema, "parent_relationship"):
            result = schema.parent_relationship(object_name, name)
        else:
            return None
    except LookupError:  # flowforce.records.errors.InvalidFieldError is a KeyError
        return None
    if result is None or isinstance(result, str):
        return result
    for attribute in ("reference_to", "target_object", "target"):
        value = getattr(result, attribute, None)
        if isinstance(value, str):
            return value
        if isinstance(value, list | tuple):
            return str(value[0]) if len(value) == 1 else ""
    return ""
