"""Compile a flow formula for validation, through `flowforce.formula` when it is importable.

Load-time compilation is what turns a draft with an unbalanced formula into an InvalidDraft, as Salesforce
does. The formula package is optional here so that metadata loading never depends on it being complete:
without it we still catch unbalanced brackets and quotes and read `{!merge}` references, and say that the
formula was not fully checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from flowforce.metadata.references import merge_field_references

FORMULA_DATA_TYPES = frozenset({"String", "Number", "Currency", "Boolean", "Date", "DateTime", "Time"})


@dataclass(frozen=True, slots=True)
class FormulaCheck:
    """`error` is why the formula cannot run (None when it compiles); `references` are paths as written."""

    error: str | None
    references: tuple[str, ...]
    fully_checked: bool = True


@cache
def _compiler() -> Any:
    try:
        from flowforce.formula import FormulaError, compile_formula
    except ImportError:
        return None
    return compile_formula, FormulaError


def formula_compiler_available() -> bool:
    return _compiler() is not None


def check_formula(expression: str, data_type: str | None = None, scale: int | None = None) -> FormulaCheck:
    compiler = _compiler()
    if compiler is None:
        return _structural_check(expression)
    compile_formula, formula_error = compiler
    result_type = data_type if data_type in FORMULA_DATA_TYPES else None
    try:
        compiled = compile_formula(expression, result_type=result_type, scale=scale)
    except formula_error as error:
        return FormulaCheck(str(error), tuple(merge_field_references(expression)))
    return FormulaCheck(None, tuple(sorted(compiled.references)))


def _structural_check(expression: str) -> FormulaCheck:
    """Brackets and quotes balance; the rest waits for the formula compiler."""
    references = tuple(merge_field_references(expression))
    if not expression.strip():
        return FormulaCheck("the formula is empty", references, fully_checked=False)
    depth = 0
    quote: str | None = None
    for position, char in enumerate(expression):
        if quote:
            if char == quote and expression[position - 1] != "\\":
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return FormulaCheck(f"unexpected ')' at character {position + 1}", references, False)
    if quote:
        return FormulaCheck("unterminated string", references, fully_checked=False)
    if depth:
        return FormulaCheck(f"{depth} unclosed '('", references, fully_checked=False)
    return FormulaCheck(None, references, fully_checked=False)
