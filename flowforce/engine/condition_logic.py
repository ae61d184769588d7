"""Custom condition logic (`1 AND (2 OR NOT 3)`) of decisions, filters and entry criteria.

`and`/`or` are the common cases and skip the parser. Custom logic is parsed once with a small LALR grammar
into a closure over the condition callables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError

Predicate = Callable[[Any], bool]

GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr (_OR and_expr)*  -> any_of
?and_expr: not_expr (_AND not_expr)* -> all_of
?not_expr: _NOT not_expr -> negate
         | atom
?atom: INT -> index
     | "(" or_expr ")"
_OR: /or/i
_AND: /and/i
_NOT: /not/i
%import common.INT
%import common.WS
%ignore WS
"""


class ConditionLogicError(ValueError):
    pass


@cache
def _parser() -> Lark:
    return Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


class _Builder(Transformer[Token, Predicate]):
    def __init__(self, conditions: Sequence[Predicate]) -> None:
        super().__init__()
        self.conditions = conditions

    def index(self, items: list[Token]) -> Predicate:
        number = int(items[0])
        if not 1 <= number <= len(self.conditions):
            raise ConditionLogicError(f"condition {number} does not exist (there are {len(self.conditions)})")
        return self.conditions[number - 1]

    def any_of(self, items: list[Predicate]) -> Predicate:
        if len(items) == 1:
            return items[0]
        return lambda subject: any(item(subject) for item in items)

    def all_of(self, items: list[Predicate]) -> Predicate:
        if len(items) == 1:
            return items[0]
        return lambda subject: all(item(subject) for item in items)

    def negate(self, items: list[Predicate]) -> Predicate:
        inner = items[0]
        return lambda subject: not inner(subject)


def combine(logic: str | None, conditions: Sequence[Predicate]) -> Predicate:
    """One predicate from the conditions and the logic text; raises ConditionLogicError when malformed."""
    text = (logic or "and").strip()
    lowered = text.lower()
    if not conditions:
        return lambda subject: True
    if len(conditions) == 1 and lowered in ("and", "or"):
        return conditions[0]
    if lowered == "and":
        return lambda subject: all(condition(subject) for condition in conditions)
    if lowered == "or":
        return lambda subject: any(condition(subject) for condition in conditions)
    try:
        tree = _parser().parse(text)
        result: Predicate = _Builder(conditions).transform(tree)
    except LarkError as error:
        cause = getattr(error, "orig_exc", None)
        if isinstance(cause, ConditionLogicError):
            raise cause from None
        raise ConditionLogicError(f"invalid condition logic {text!r}") from None
    return result
