"""Custom condition logic (`1 AND (2 OR NOT 3)`) folded into whatever the caller combines.

The text is parsed by `flowforce.metadata.logic` (the validator uses the same tree, so a flow that loads
can always run). Decisions fold it into predicates over an interview; Get Records folds it into a SOQL
condition tree and into a predicate over fetched records.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from flowforce.metadata.logic import (
    ConditionLogicError,
    Index,
    Junction,
    LogicExpr,
    Not,
    parse_condition_logic,
)

T = TypeVar("T")
Predicate = Callable[[Any], bool]

__all__ = ["ConditionLogicError", "combine", "fold_logic"]


@lru_cache(maxsize=1024)
def parsed_logic(logic: str | None, count: int) -> LogicExpr:
    """Parsing is pure, and bulk Get Records folds the same logic once per distinct question."""
    return parse_condition_logic(logic, count)


def fold_logic(logic: str | None, leaves: Sequence[T], *, all_of: Callable[[list[T]], T],
               any_of: Callable[[list[T]], T], negate: Callable[[T], T]) -> T:
    """Combine *leaves* (one per condition, in order) as *logic* says."""
    tree = parsed_logic(logic, len(leaves))

    def visit(node: LogicExpr) -> T:
        if isinstance(node, Index):
            return leaves[node.number - 1]
        if isinstance(node, Not):
            return negate(visit(node.operand))
        assert isinstance(node, Junction)
        parts = [visit(operand) for operand in node.operands]
        return all_of(parts) if node.op == "AND" else any_of(parts)

    return visit(tree)


def _all(parts: list[Predicate]) -> Predicate:
    return parts[0] if len(parts) == 1 else (lambda subject: all(part(subject) for part in parts))


def _any(parts: list[Predicate]) -> Predicate:
    return parts[0] if len(parts) == 1 else (lambda subject: any(part(subject) for part in parts))


def _not(part: Predicate) -> Predicate:
    return lambda subject: not part(subject)


def combine(logic: str | None, conditions: Sequence[Predicate]) -> Predicate:
    """One predicate from the conditions and the logic text; raises ConditionLogicError when malformed."""
    if not conditions:
        return lambda subject: True
    return fold_logic(logic, conditions, all_of=_all, any_of=_any, negate=_not)
