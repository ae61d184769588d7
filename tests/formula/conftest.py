"""Shared fixtures: a fixed clock and an `ev` helper that compiles and evaluates in one call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest

from flowforce.formula import SimpleEnvironment, compile_formula

NOW = dt.datetime(2024, 1, 31, 9, 15, 0, tzinfo=dt.UTC)

VALUES: dict[str, Any] = {
    "num": Decimal("10"),
    "zero": Decimal("0"),
    "txt": "Hello",
    "empty": "",
    "nothing": None,
    "flag": True,
    "d": dt.date(2024, 1, 31),
    "dtm": dt.datetime(2024, 1, 31, 9, 15, tzinfo=dt.UTC),
    "t": dt.time(9, 15),
    "items": ["a", "b"],
    "Account": {"Name": "Acme", "Owner": {"Name": "Ann"}, "Parent": None, "Id": "001000000000001AAA"},
    "$Record": {"Status": "Obsolete", "Amount": Decimal("1250.50")},
    "$Api": {"Session_ID": "SESSION"},
}

Evaluate = Callable[..., Any]


@pytest.fixture
def env() -> SimpleEnvironment:
    return SimpleEnvironment(VALUES, now=NOW)


@pytest.fixture
def ev() -> Evaluate:
    """`ev(expression, extra_values=None, **compile_options)` → the evaluated value."""

    def evaluate(expression: str, extra: Mapping[str, Any] | None = None, **options: Any) -> Any:
        environment = SimpleEnvironment({**VALUES, **(extra or {})}, now=NOW)
        return compile_formula(expression, **options).evaluate(environment)

    return evaluate
