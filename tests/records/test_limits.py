from __future__ import annotations

import pytest

from flowforce.records.errors import LimitException
from flowforce.records.limits import GovernorLimits


def test_soql_query_limit_message() -> None:
    limits = GovernorLimits()
    for _ in range(100):
        limits.check_soql_query()
    with pytest.raises(LimitException, match=r"^Too many SOQL queries: 101$"):
        limits.check_soql_query()


def test_query_rows_limit_message() -> None:
    limits = GovernorLimits()
    limits.check_soql_rows(50_000)
    with pytest.raises(LimitException, match=r"^Too many query rows: 50001$"):
        limits.check_soql_rows(1)


def test_dml_limits_messages() -> None:
    limits = GovernorLimits()
    for _ in range(150):
        limits.check_dml_statement()
    with pytest.raises(LimitException, match=r"^Too many DML statements: 151$"):
        limits.check_dml_statement()
    limits.check_dml_rows(10_000)
    with pytest.raises(LimitException, match=r"^Too many DML rows: 10001$"):
        limits.check_dml_rows(1)


def test_transaction_counts_soql(store) -> None:  # type: ignore[no-untyped-def]
    with store.transaction(limits=GovernorLimits(max_soql_queries=1)) as txn:
        txn.count_soql(10)
        assert (txn.limits.soql_queries, txn.limits.soql_rows) == (1, 10)
        with pytest.raises(LimitException, match="Too many SOQL queries: 2"):
            txn.count_soql(0)
