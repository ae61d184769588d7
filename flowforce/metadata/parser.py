"""Read a `.flow-meta.xml` (or mdapi `.flow`) file into an immutable `Flow`.

Structural problems (not XML, not a Flow, a value of the wrong type) raise `FlowParseError` naming the file
and element. Semantic problems (dangling connectors, unknown references) are the validator's job, so a
draft that Salesforce would keep as InvalidDraft still parses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from flowforce.metadata import model
from flowforce.metadata.binding import BindingError, bind, element_text, local_name, parse_decimal, parse_int
from flowforce.metadata.xml import UnsafeXmlError, parse_xml

FLOW_SUFFIXES = (".flow-meta.xml", ".flow")
VERSIONED_NAME = re.compile(r"^(?P<name>.+?)-(?P<version>\d+)$")

RESOURCE_TYPES: dict[str, type] = {
    "variables": model.Variable,
    "constants": model.Constant,
    "formulas": model.Formula,
    "textTemplates": model.TextTemplate,
    "choices": model.Choice,
    "dynamicChoiceSets": model.DynamicChoiceSet,
    "stages": model.Stage,
}
NODE_TAGS: dict[str, type[model.Node]] = {node_type.TAG: node_type for node_type in model.NODE_TYPES}


class FlowParseError(ValueError):
    """The file cannot be read as a flow at all."""

    def __init__(self, source: str, message: str, element: str | None = None) -> None:
        self.source = source
        self.element = element
        where = f" (element {element})" if element else ""
        super().__init__(f"{source}{where}: {message}")


def flow_identity(path: Path) -> tuple[str, int]:
    """API name and version from a file name: `Name-2.flow-meta.xml` is version 2 of `Name`."""
    name = path.name
    for suffix in FLOW_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    match = VERSIONED_NAME.match(name)
    if match:
        return match["name"], int(match["version"])
    return name, 1


def is_flow_file(path: Path) -> bool:
    return path.is_file() and path.name.endswith(FLOW_SUFFIXES)


def parse_flow_file(path: Path | str) -> model.Flow:
    path = Path(path)
    api_name, version = flow_identity(path)
    return parse_flow_bytes(path.read_bytes(), api_name=api_name, version=version, source=str(path))


def parse_flow_bytes(
    data: bytes, *, api_name: str, version: int = 1, source: str | None = None
) -> model.Flow:
    source = source or api_name
    try:
        root = parse_xml(data)
    except UnsafeXmlError as error:
        raise FlowParseError(source, str(error)) from None
    if local_name(root) != "Flow":
        raise FlowParseError(source, f"root element is <{local_name(root)}>, expected <Flow>")
    return FlowBuilder(root, api_name, version, source).build()


class FlowBuilder:
    """Collects the root's children by tag; order in the file does not matter (§1)."""

    def __init__(self, root: Any, api_name: str, version: int, source: str) -> None:
        self.root = root
        self.api_name = api_name
        self.version = version
        self.source = source
        self.scalars: dict[str, str] = {}
        self.resources: dict[str, dict[str, Any]] = {tag: {} for tag in RESOURCE_TYPES}
        self.nodes: dict[str, model.Node] = {}
        self.start: model.Start | None = None

    def build(self) -> model.Flow:
        for child in self.root:
            tag = local_name(child)
            if not tag:
                continue
            if tag in RESOURCE_TYPES:
                self._add_named(self.resources[tag], self._bind(RESOURCE_TYPES[tag], child), tag)
            elif tag in NODE_TAGS:
                self._add_named(self.nodes, self._bind(NODE_TAGS[tag], child), tag)
            elif tag == "start":
                self.start = self._bind(model.Start, child)
            elif len(child) == 0:
                self.scalars[tag] = element_text(child)
        return self._flow()

    def _bind(self, cls: type, element: Any) -> Any:
        name = next((element_text(c).strip() for c in element if local_name(c) == "name"), None)
        try:
            return bind(cls, element)
        except BindingError as error:
            raise FlowParseError(self.source, str(error), name or local_name(element)) from None

    def _add_named(self, target: dict[str, Any], item: Any, tag: str) -> None:
        name = item.name.strip()
        if not name:
            raise FlowParseError(self.source, f"a <{tag}> element has an empty <name>")
        if name in target or (target is not self.nodes and name in self.nodes):
            raise FlowParseError(self.source, f"the name {name} is used by more than one element", name)
        target[name] = item

    def _scalar_int(self, tag: str) -> int | None:
        text = self.scalars.get(tag)
        if text is None:
            return None
        try:
            return parse_int(text)
        except BindingError as error:
            raise FlowParseError(self.source, f"<{tag}>: {error}") from None

    def _flow(self) -> model.Flow:
        api_version_text = self.scalars.get("apiVersion")
        try:
            api_version = parse_decimal(api_version_text) if api_version_text else None
        except BindingError as error:
            raise FlowParseError(self.source, f"<apiVersion>: {error}") from None
        frozen: dict[str, Mapping[str, Any]] = {
            tag: MappingProxyType(items) for tag, items in self.resources.items()
        }
        return model.Flow(
            api_name=self.api_name,
            version=self.version,
            label=self.scalars.get("label", self.api_name),
            process_type=self.scalars.get("processType", "AutoLaunchedFlow").strip(),
            # reference/flow-metadata.md §2.2: a file without <status> deploys as a Draft.
            status=self.scalars.get("status", "Draft").strip(),
            api_version=api_version,
            description=self.scalars.get("description"),
            interview_label=self.scalars.get("interviewLabel"),
            run_in_mode=self.scalars.get("runInMode"),
            trigger_order=self._scalar_int("triggerOrder"),
            start=self.start,
            start_element_reference=(self.scalars.get("startElementReference") or "").strip() or None,
            variables=frozen["variables"],
            constants=frozen["constants"],
            formulas=frozen["formulas"],
            text_templates=frozen["textTemplates"],
            choices=frozen["choices"],
            dynamic_choice_sets=frozen["dynamicChoiceSets"],
            stages=frozen["stages"],
            nodes=MappingProxyType(self.nodes),
            source_path=self.source,
        )
