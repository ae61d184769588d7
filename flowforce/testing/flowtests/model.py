"""FlowTest metadata (`flowtests/*.flowtest-meta.xml`) read into plain dataclasses.

The schema is Salesforce's (reference §1.1) with the tolerances real files need: a bare-text ScheduledPath
value, an `sobjectValue` with or without `attributes.type` (a stray trailing `}` is forgiven), and an element
name compared `EqualTo true`, which means "was visited". Beyond Salesforce, `InputVariable` parameters set an
autolaunched flow's input variables (Salesforce reserves the type).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from flowforce.metadata.binding import bind_value, element_text, local_name
from flowforce.metadata.model import FlowValue, ValueKind
from flowforce.metadata.xml import UnsafeXmlError, parse_xml

SUFFIX = ".flowtest-meta.xml"


class FlowTestParseError(ValueError):
    """The file is not a FlowTest flowforce can run; the message names the file and the part."""


@dataclass(frozen=True)
class TestValue:
    """A FlowTestReferenceOrValue: a flow value, or a record (`sobjectValue`) as field → JSON value."""

    value: FlowValue | None = None
    record: dict[str, Any] | None = None

    def show(self) -> str:
        if self.record is not None:
            return json.dumps(self.record)
        if self.value is None or self.value.text is None:
            return "null"
        return self.value.text


@dataclass(frozen=True)
class TestParameter:
    left_value_reference: str
    type: str
    value: TestValue


@dataclass(frozen=True)
class TestCondition:
    left_value_reference: str
    operator: str
    right_value: TestValue | None


@dataclass(frozen=True)
class TestAssertion:
    conditions: tuple[TestCondition, ...]
    error_message: str | None = None


@dataclass(frozen=True)
class TestPoint:
    element_api_name: str
    parameters: tuple[TestParameter, ...] = ()
    assertions: tuple[TestAssertion, ...] = ()


@dataclass(frozen=True)
class FlowTest:
    name: str
    flow_api_name: str
    label: str
    path: Path
    description: str | None = None
    flow_version: int | None = None
    points: tuple[TestPoint, ...] = ()
    commits: bool = False
    skips_start_conditions: bool = False

    @property
    def full_name(self) -> str:
        """`Flow.Test`, as `sf flow run test -t` names a test."""
        return f"{self.flow_api_name}.{self.name}"

    def parameters(self, kind: str) -> list[TestParameter]:
        return [parameter for point in self.points for parameter in point.parameters if parameter.type == kind]

    def assertions(self) -> list[tuple[str, TestAssertion]]:
        return [(point.element_api_name, assertion) for point in self.points for assertion in point.assertions]


def is_flow_test_file(path: Path) -> bool:
    return path.name.endswith(SUFFIX)


def find_flow_tests(project_dir: Path) -> list[Path]:
    """Every `*.flowtest-meta.xml` (SFDX) or `*.flowtest` (Metadata API) under the project, sorted."""
    found = {*project_dir.rglob(f"*{SUFFIX}"), *project_dir.rglob("flowtests/*.flowtest")}
    return sorted(path for path in found if "node_modules" not in path.parts and ".sfdx" not in path.parts)


def parse_flow_test(path: Path) -> FlowTest:
    try:
        root = parse_xml(path.read_bytes())
    except (OSError, UnsafeXmlError) as error:
        raise FlowTestParseError(f"{path.name}: {error}") from None
    if local_name(root) != "FlowTest":
        raise FlowTestParseError(f"{path.name}: the root element is <{local_name(root)}>, not <FlowTest>")
    name = path.name.removesuffix(SUFFIX).removesuffix(".flowtest")
    flow = _text(root, "flowApiName")
    if not flow:
        raise FlowTestParseError(f"{path.name}: <flowApiName> is required")
    versions = [_text(item, "flowVersionNumber") for item in _children(root, "flowTestFlowVersions")]
    try:
        points = tuple(_point(element) for element in _children(root, "testPoints"))
        version = int(versions[0]) if versions and versions[0] else None
    except (ValueError, json.JSONDecodeError) as error:
        raise FlowTestParseError(f"{path.name}: {error}") from None
    return FlowTest(name=name, flow_api_name=flow, label=_text(root, "label") or name, path=path,
                    description=_text(root, "description"), flow_version=version, points=points,
                    commits=_text(root, "doesCommitChanges") == "true",
                    skips_start_conditions=_text(root, "doesSkipStartConditions") == "true")


def _children(element: etree._Element, tag: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == tag]


def _text(element: etree._Element, tag: str) -> str | None:
    found = _children(element, tag)
    return element_text(found[0]).strip() if found else None


def _point(element: etree._Element) -> TestPoint:
    where = _text(element, "elementApiName") or ""
    if where not in ("Start", "Finish"):
        raise ValueError(f"a test point's <elementApiName> must be Start or Finish, not {where!r}")
    parameters = tuple(TestParameter(_text(item, "leftValueReference") or "", _text(item, "type") or "",
                                     _value(_children(item, "value")[0]) if _children(item, "value") else TestValue())
                       for item in _children(element, "parameters"))
    assertions = tuple(TestAssertion(tuple(_condition(item) for item in _children(assertion, "conditions")),
                                     _text(assertion, "errorMessage") or None)
                       for assertion in _children(element, "assertions"))
    return TestPoint(where, parameters, assertions)


def _condition(element: etree._Element) -> TestCondition:
    right = _children(element, "rightValue")
    return TestCondition(_text(element, "leftValueReference") or "", _text(element, "operator") or "",
                         _value(right[0]) if right else None)


def _value(element: etree._Element) -> TestValue:
    record = _children(element, "sobjectValue")
    if record:
        return TestValue(record=_record_json(element_text(record[0])))
    if not any(isinstance(child.tag, str) for child in element):  # the official sample's bare text
        return TestValue(FlowValue(ValueKind.STRING, element_text(element).strip()))
    return TestValue(bind_value(element))


def _record_json(text: str) -> dict[str, Any]:
    text = text.strip()
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError:
        loaded = json.loads(text.rstrip("}").rstrip() + "}")  # the official sample's stray closing brace
    if not isinstance(loaded, dict):
        raise ValueError("an <sobjectValue> must hold a JSON object")
    return loaded
