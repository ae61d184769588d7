"""What a deploy says about each component (a DeployMessage): deployed — created, changed or unchanged — or
failed, with the problem and where in the file it is."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"line (\d+)(?:, column (\d+))?")


@dataclass(frozen=True)
class ComponentMessage:
    """One DeployMessage: a component that deployed (created, changed or unchanged) or failed, and why."""

    component_type: str
    full_name: str
    file_name: str
    success: bool
    created: bool = False
    changed: bool = False
    problem: str | None = None
    problem_type: str | None = None
    line: int | None = None
    column: int | None = None
    id: str | None = None


def position_in(message: str) -> tuple[int, int]:
    """(line, column) a parser's message names (`… line 3, column 7`), else the file's start."""
    matches = list(_LINE.finditer(message))
    found = next((match for match in matches if match.group(2)), matches[0] if matches else None)
    return (int(found.group(1)) if found else 1), (int(found.group(2)) if found and found.group(2) else 1)


def failure(component_type: str, full_name: str, file_name: str, problem: str, line: int | None = None,
            column: int | None = None) -> ComponentMessage:
    return ComponentMessage(component_type, full_name, file_name, False, problem=problem, problem_type="Error",
                            line=line, column=column)
