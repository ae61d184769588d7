"""Where things are in a flow file, and the file's raw text per element.

The model keeps what the engine needs; a linter also needs line and column numbers (SARIF regions), the
builder's layout metadata (`CanvasMode`) and every literal an element holds, including screen texts the
model does not declare (hardcoded ids, URLs, secrets). The file is read once more, with the same safe XML
parser, only for flows that load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flowforce.metadata.binding import element_text, local_name
from flowforce.metadata.xml import UnsafeXmlError, parse_xml


@dataclass(frozen=True, slots=True)
class Position:
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class SourceElement:
    tag: str
    position: Position
    #: Every text node inside the element, its own `<name>` excepted, one per line.
    text: str


@dataclass(frozen=True)
class FlowSource:
    path: str | None = None
    root: Position = field(default_factory=Position)
    elements: dict[str, SourceElement] = field(default_factory=dict)
    tags: dict[str, Position] = field(default_factory=dict)
    process_metadata: dict[str, str] = field(default_factory=dict)

    def position(self, element: str | None = None, tag: str | None = None) -> Position:
        """The element's `<name>` line, else the flow-level tag's line, else the `<Flow>` root."""
        if element is not None and element in self.elements:
            return self.elements[element].position
        if tag is not None and tag in self.tags:
            return self.tags[tag]
        return self.root

    def text_of(self, element: str) -> str:
        found = self.elements.get(element)
        return found.text if found is not None else ""


EMPTY_SOURCE = FlowSource()


def read_source(path: str | None) -> FlowSource:
    """The positions and texts of *path*; an empty source when the file is gone or unreadable."""
    if not path:
        return EMPTY_SOURCE
    try:
        data = Path(path).read_bytes()
        root = parse_xml(data)
    except (OSError, UnsafeXmlError):
        return EMPTY_SOURCE
    lines = data.decode("utf-8", errors="replace").splitlines()
    elements: dict[str, SourceElement] = {}
    tags: dict[str, Position] = {}
    metadata: dict[str, str] = {}
    for child in root:
        tag = local_name(child)
        if not tag:
            continue
        name_element = next((item for item in child if local_name(item) == "name"), None)
        if tag == "processMetadataValues" and name_element is not None:
            metadata[element_text(name_element).strip()] = " ".join(
                (item.text or "").strip() for item in child.iter() if item is not child and item is not name_element
            ).strip()
        elif (name_element is not None or tag == "start") and len(child) > 0:
            # The start element has no name; rules and positions call it "start".
            name = element_text(name_element).strip() if name_element is not None else tag
            line = _line(name_element if name_element is not None else child)
            if name_element is not None:
                position = Position(line, _column(lines, line, f"<name>{name}</name>", len("<name>")))
            else:
                position = Position(line, _column(lines, line, f"<{tag}", 0))
            text = "\n".join(
                item.text for item in child.iter() if item is not name_element and item.text and item.text.strip()
            )
            elements.setdefault(name, SourceElement(tag, position, text))
        if tag not in tags:
            line = _line(child)
            tags[tag] = Position(line, _column(lines, line, f"<{tag}", 0))
    root_line = _line(root)
    return FlowSource(path, Position(root_line, _column(lines, root_line, "<Flow", 0)), elements, tags, metadata)


def _line(element: Any) -> int:
    line = element.sourceline
    return line if isinstance(line, int) and line > 0 else 1


def _column(lines: list[str], line: int, needle: str, skip: int) -> int:
    """1-based column of *needle* (plus *skip* characters) on *line*; 1 when it is not there."""
    if not 0 < line <= len(lines):
        return 1
    index = lines[line - 1].find(needle)
    return index + skip + 1 if index >= 0 else 1
