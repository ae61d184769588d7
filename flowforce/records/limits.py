"""Per-transaction governor limits with Salesforce's default maxima and LimitException messages.

A limit is exceeded by the operation that goes *past* the maximum: the 101st query fails with
``Too many SOQL queries: 101`` (reference/confirmations.md §7 quotes this exact text from a flow fault email).
"""

from __future__ import annotations

from dataclasses import dataclass

from flowforce.records.errors import LimitException

UNLIMITED = 2**62


@dataclass
class GovernorLimits:
    max_soql_queries: int = 100
    max_soql_rows: int = 50_000
    max_dml_statements: int = 150
    max_dml_rows: int = 10_000
    soql_queries: int = 0
    soql_rows: int = 0
    dml_statements: int = 0
    dml_rows: int = 0

    @classmethod
    def unlimited(cls) -> GovernorLimits:
        """For work that is not an Apex transaction: REST queries, the platform's own bookkeeping."""
        return cls(UNLIMITED, UNLIMITED, UNLIMITED, UNLIMITED)

    def check_soql_query(self) -> None:
        """Count one SOQL query (call before running it)."""
        self.soql_queries += 1
        if self.soql_queries > self.max_soql_queries:
            raise LimitException(f"Too many SOQL queries: {self.soql_queries}")

    def check_soql_rows(self, rows: int) -> None:
        self.soql_rows += rows
        if self.soql_rows > self.max_soql_rows:
            raise LimitException(f"Too many query rows: {self.soql_rows}")

    def check_dml_statement(self) -> None:
        self.dml_statements += 1
        if self.dml_statements > self.max_dml_statements:
            raise LimitException(f"Too many DML statements: {self.dml_statements}")

    def check_dml_rows(self, rows: int) -> None:
        self.dml_rows += rows
        if self.dml_rows > self.max_dml_rows:
            raise LimitException(f"Too many DML rows: {self.dml_rows}")

    def as_dict(self) -> dict[str, tuple[int, int]]:
        """Used / maximum per limit, e.g. for ``$Flow`` debugging output or an API limits view."""
        return {
            "SOQL queries": (self.soql_queries, self.max_soql_queries),
            "SOQL rows": (self.soql_rows, self.max_soql_rows),
            "DML statements": (self.dml_statements, self.max_dml_statements),
            "DML rows": (self.dml_rows, self.max_dml_rows),
        }
