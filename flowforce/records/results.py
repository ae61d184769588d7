"""Per-record DML outcomes (Salesforce's ``SaveResult`` / ``DeleteResult`` / ``UpsertResult``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flowforce.records.errors import DmlError


@dataclass
class SaveResult:
    id: str | None
    success: bool
    errors: list[DmlError] = field(default_factory=list)
    created: bool = False

    def as_json(self, *, include_created: bool = False) -> dict[str, Any]:
        """REST shape (reference/api-surface.md §6.1, §6.5, §7.2); ``created`` only for upserts."""
        body: dict[str, Any] = {"id": self.id, "success": self.success,
                                "errors": [e.as_json() for e in self.errors]}
        if include_created:
            body["created"] = self.created
        return body


def first_error(results: list[SaveResult]) -> DmlError | None:
    """The error a flow fault reports: the first record's first error that is not a roll-back marker."""
    marker = "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    errors = [e for r in results for e in r.errors]
    return next((e for e in errors if e.status_code != marker), errors[0] if errors else None)
