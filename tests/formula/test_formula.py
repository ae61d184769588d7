"""`Formula.evaluate`: result coercion to the flow dataType, scale rounding, error wrapping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flowforce.formula import FormulaRuntimeError, compile_formula


@pytest.mark.parametrize(
    ("expression", "result_type", "scale", "expected"),
    [
        ("2/3", "Number", 2, D("0.67")),
        ("-2/3", "Number", 2, D("-0.67")),
        ("2.5", "Number", 0, D("3")),
        ("-2.5", "Currency", 0, D("-3")),
        ("1.005", "Currency", 2, D("1.01")),
        ("1234.5", "Number", -2, D("1200")),
        ("1/3", "Number", None, D("0.3333333333333333333333333333333333")),
        ("0.125", "Percent", 2, D("0.13")),
        ("num", "Number", 2, D("10.00")),
        ("nothing", "Number", 2, None),
        ("1 + 1", "String", None, "2"),
        ("TRUE", "String", None, "true"),
        ("d", "String", None, "2024-01-31"),
        ("txt", "String", None, "Hello"),
        ("1 = 1", "Boolean", None, True),
        ("dtm", "Date", None, dt.date(2024, 1, 31)),
        ("d", "Date", None, dt.date(2024, 1, 31)),
        ("d", "DateTime", None, dt.datetime(2024, 1, 31, tzinfo=dt.UTC)),
        ("dtm", "DateTime", None, dt.datetime(2024, 1, 31, 9, 15, tzinfo=dt.UTC)),
        ("dtm", "Time", None, dt.time(9, 15)),
        ("t", "Time", None, dt.time(9, 15)),
        ("txt", None, None, "Hello"),
        ("txt", "Apex", None, "Hello"),  # a type formulas never declare: left alone
    ],
)
def test_result_coercion(ev, expression, result_type, scale, expected):
    result = ev(expression, result_type=result_type, scale=scale)
    assert result == expected
    assert type(result) is type(expected)
    if isinstance(expected, D):
        assert str(result) == str(expected)


@pytest.mark.parametrize(
    ("expression", "result_type"),
    [
        ("txt", "Number"),
        ("1", "Boolean"),
        ("txt", "Date"),
        ("1", "DateTime"),
        ("d", "Time"),
        ("TRUE", "Currency"),
    ],
)
def test_result_type_mismatch(ev, expression, result_type):
    with pytest.raises(FormulaRuntimeError, match=f"data type is {result_type}"):
        ev(expression, result_type=result_type)


def test_int_and_float_inputs_become_decimals(ev):
    assert ev("a + b", {"a": 1, "b": 0.1}) == D("1.1")
    assert isinstance(ev("a * 2", {"a": 3}), D)


def test_unknown_reference_in_simple_environment(ev):
    with pytest.raises(FormulaRuntimeError, match="Unknown reference 'missing'"):
        ev("missing + 1")


def test_decimal_overflow_is_a_runtime_error(ev):
    with pytest.raises(FormulaRuntimeError):
        ev("10 ^ 999999999")


def test_round_with_absurd_digits_is_a_runtime_error(ev):
    with pytest.raises(FormulaRuntimeError, match="Invalid numeric operation"):
        ev("ROUND(123456789, 40)")


def test_compiled_formula_is_reused():
    assert compile_formula("1 + 1") is compile_formula("1 + 1")
    assert compile_formula("1 + 1", result_type="String") is not compile_formula("1 + 1")


def test_evaluation_sees_current_values(env):
    formula = compile_formula("{!i} + 1")
    assert formula.evaluate(type(env)({"i": D(1)})) == 2
    assert formula.evaluate(type(env)({"i": D(41)})) == 42
