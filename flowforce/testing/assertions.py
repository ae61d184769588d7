"""Assertions for flow tests whose failures print the interview's path — which decision outcome was taken and
why — the thing a person needs when a flow test fails."""

from __future__ import annotations

from typing import Any

from flowforce.testing.results import InvokeResult


def _fail(message: str, result: InvokeResult) -> None:
    raise AssertionError(f"{message}\n\n{result.explain()}")


def assert_finished(result: InvokeResult) -> None:
    if not result.success:
        _fail(f"{result.flow} failed at {result.failed_element}: {result.error}", result)


def assert_outputs(result: InvokeResult, **expected: Any) -> None:
    """Each named output equals its expected value (numbers compare by value: 5 == Decimal("5.00"))."""
    assert_finished(result)
    wrong = {name: (result.outputs.get(name), value) for name, value in expected.items()
             if result.outputs.get(name) != value}
    if wrong:
        listed = "; ".join(f"{name}: got {got!r}, expected {want!r}" for name, (got, want) in wrong.items())
        _fail(f"{result.flow} outputs differ — {listed}", result)


def assert_visited(result: InvokeResult, *elements: str, in_order: bool = False) -> None:
    visited = result.visited
    missing = [element for element in elements if element not in visited]
    if missing:
        _fail(f"{result.flow} never reached {', '.join(missing)}", result)
    if in_order:
        positions = [visited.index(element) for element in elements]
        if positions != sorted(positions):
            _fail(f"{result.flow} reached {', '.join(elements)} in another order", result)
