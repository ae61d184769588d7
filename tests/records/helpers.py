"""Test helpers shared by the record-store tests."""

from __future__ import annotations

from typing import Any

from flowforce.records.transaction import Transaction


def insert_one(txn: Transaction, object_name: str, values: dict[str, Any]) -> str:
    """Insert one record that must succeed; its id."""
    [result] = txn.insert(object_name, [values])
    assert result.success, result.errors
    assert result.id is not None
    return result.id
