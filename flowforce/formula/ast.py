"""Formula syntax tree: plain immutable nodes, produced by `parser` and compiled by `evaluator`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any


@dataclass(frozen=True, slots=True)
class Reference:
    """A merge field `{!path}` or a bare identifier path; both resolve through the environment."""

    path: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # upper-case
    args: tuple[Node, ...]
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-", "+", "!"
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # canonical spelling: "=" for "==", "<>" for "!="
    left: Node
    right: Node


Node = Literal | Reference | Call | Unary | Binary


def walk(node: Node) -> Iterator[Node]:
    """Yield `node` and all its descendants, depth first."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Call):
            stack.extend(reversed(current.args))
        elif isinstance(current, Unary):
            stack.append(current.operand)
        elif isinstance(current, Binary):
            stack.extend((current.right, current.left))
