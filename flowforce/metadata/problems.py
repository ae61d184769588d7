"""What validation reports.

A problem is an error (Salesforce would keep the flow only as an InvalidDraft) or a warning (the flow loads,
but something it needs is not known here: a custom object, an Apex action).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    severity: Severity
    element: str | None
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return f"Element {self.element}: {self.message}" if self.element else self.message


def error(element: str | None, message: str) -> Problem:
    return Problem("error", element, message)


def warning(element: str | None, message: str) -> Problem:
    return Problem("warning", element, message)
