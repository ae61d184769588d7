"""Per-record DML outcomes (Salesforce's ``SaveResult`` / ``DeleteResult`` / ``UpsertResult``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flowforce.records.errors import DmlError


@dataclass
class SaveResult:
    id: str | None
    success: bool
    errors: list[DmlError] = field(default_factory=list)
    created: bool = False


def first_error(results: list[SaveResult]) -> DmlError | None:
    """The error a flow fault reports: the first record's first error that is not a roll-back marker."""
    marker = "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    errors = [e for r in results for e in r.errors]
    return next((e for e in errors if e.status_code != marker), errors[0] if errors else None)
