"""Errors an interview can meet, split by who may handle them.

reference/flow-metadata.md §7.2: an `ElementFault` follows the element's fault connector when it has one,
and otherwise fails that interview only. A `LimitException` (records/limits) is never catchable: it stops
the whole transaction (§7.4). `InputError` is raised before an interview starts.
"""

from __future__ import annotations


class ElementFault(Exception):
    """A failure inside one element; `message` becomes `$Flow.FaultMessage`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnhandledFault(ElementFault):
    """A fault that no fault connector may catch (a subflow's unhandled failure, a custom error)."""


class InputError(ValueError):
    """An input the flow cannot accept; the message is Salesforce's wording where it is known."""


def not_set_message(reference: str) -> str:
    """reference/flow-metadata.md §7.3: reading a field of a null or unqueried record."""
    return f"The flow failed to access the value for {reference} because it hasn't been set or assigned."


def unknown_input_message(name: str) -> str:
    """confirmations.md §2a: same text for unknown names and non-input variables."""
    return f"The flow doesn't have a variable with the name {name}, or the variable doesn't allow input access."
