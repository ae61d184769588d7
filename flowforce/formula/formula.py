"""`compile_formula` and the immutable `Formula` it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import DivisionByZero, InvalidOperation
from functools import lru_cache
from typing import Any

from flowforce.formula.ast import Call, Reference, walk
from flowforce.formula.environment import FormulaEnvironment
from flowforce.formula.errors import FormulaError, FormulaRuntimeError
from flowforce.formula.evaluator import Compiled, compile_node
from flowforce.formula.parser import parse
from flowforce.formula.values import coerce_result


@dataclass(frozen=True, eq=False)
class Formula:
    """A compiled formula: parse once per flow, evaluate each time it is referenced (flow-metadata.md §6)."""

    expression: str
    references: frozenset[str]
    functions: frozenset[str]
    result_type: str | None = None
    scale: int | None = None
    _run: Compiled = field(repr=False, default=lambda _env: None)

    def evaluate(self, env: FormulaEnvironment) -> Any:
        """Evaluate against `env`; every failure surfaces as a `FormulaRuntimeError`."""
        try:
            value = self._run(env)
        except FormulaError:
            raise
        except (DivisionByZero, ZeroDivisionError):
            raise FormulaRuntimeError("Division by zero") from None
        except InvalidOperation:
            raise FormulaRuntimeError("Invalid numeric operation") from None
        except (ArithmeticError, ValueError) as error:
            raise FormulaRuntimeError(str(error) or type(error).__name__) from error
        return coerce_result(value, self.result_type, self.scale)


@lru_cache(maxsize=2048)
def compile_formula(expression: str, *, result_type: str | None = None, scale: int | None = None) -> Formula:
    """Compile `expression`; raises `FormulaSyntaxError` (with line and column) when it cannot run."""
    tree = parse(expression)
    nodes = list(walk(tree))
    return Formula(
        expression=expression,
        references=frozenset(node.path for node in nodes if isinstance(node, Reference)),
        functions=frozenset(node.name for node in nodes if isinstance(node, Call)),
        result_type=result_type,
        scale=scale,
        _run=compile_node(tree),
    )
