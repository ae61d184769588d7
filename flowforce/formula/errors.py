"""Formula exceptions.

The engine turns a `FormulaRuntimeError` into an element fault whose message is the exception text
(reference/confirmations.md §6e keeps "fault at the referencing element" as the emulation choice), so the
text must read well on its own.
"""

from __future__ import annotations


class FormulaError(Exception):
    """Base class of every formula failure."""


class FormulaSyntaxError(FormulaError):
    """The formula cannot be compiled: bad syntax, unknown function, wrong argument count, too long."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        self.line = line
        self.column = column
        self.detail = message
        super().__init__(f"Syntax error at line {line}, column {column}: {message}")


class FormulaRuntimeError(FormulaError):
    """Evaluation failed: type mismatch, division by zero, bad conversion, unsupported function."""

    PREFIX = "Error evaluating formula: "

    def __init__(self, message: str) -> None:
        self.detail = message
        super().__init__(self.PREFIX + message)
