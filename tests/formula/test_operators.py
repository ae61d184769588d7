"""Operators, precedence, arithmetic on dates/times, comparisons and their null rules."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest

from flowforce.formula import FormulaRuntimeError

UTC = dt.UTC


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 + 2", D(3)),
        ("5 - 7", D(-2)),
        ("2 * 3.5", D("7.0")),
        ("10 / 4", D("2.5")),
        ("1 / 3 * 3", D("0.9999999999999999999999999999999999")),
        ("0.1 + 0.2", D("0.3")),
        ("1.10 + 2.205", D("3.305")),
        ("2 ^ 10", D(1024)),
        ("2 ^ -1", D("0.5")),
        ("2 ^ 3 ^ 2", D(512)),  # right associative
        ("-2 ^ 2", D(-4)),  # ^ binds tighter than unary minus
        ("(-2) ^ 2", D(4)),
        ("1 + 2 * 3", D(7)),
        ("(1 + 2) * 3", D(9)),
        ("10 - 4 - 3", D(3)),  # left associative
        ("24 / 4 / 2", D(3)),
        ("-3 + 5", D(2)),
        ("+3", D(3)),
        ("--3", D(3)),
        ("2 * -3", D(-6)),
        (".5 + 1.", D("1.5")),
        ("num * 2", D(20)),
        ("{!num} + 1", D(11)),
        ("{! num } + 1", D(11)),
        ("3 * 2 ^ 2", D(12)),
    ],
)
def test_arithmetic(ev, expression, expected):
    assert ev(expression) == expected


def test_decimal_sum_is_exact(ev):
    result = ev("0.1 + 0.2")
    assert isinstance(result, D) and str(result) == "0.3"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"a" & "b"', "ab"),
        ('"a" + "b"', "ab"),
        ('txt & " " & "World"', "Hello World"),
        ('"x" & nothing', "x"),
        ('nothing & "x"', "x"),
        ("nothing & nothing", ""),
        ('"x" + nothing', "x"),
        ('"1" & "2" = "12"', True),  # & binds tighter than =
        ('"a" & "b" & "c"', "abc"),
    ],
)
def test_concatenation(ev, expression, expected):
    assert ev(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("d + 1", dt.date(2024, 2, 1)),
        ("1 + d", dt.date(2024, 2, 1)),
        ("d - 31", dt.date(2023, 12, 31)),
        ("d + 1.9", dt.date(2024, 2, 1)),  # fractions of a day are dropped for Dates
        ("d + 366", dt.date(2025, 1, 31)),
        ("d - DATE(2024, 1, 1)", D(30)),
        ("DATE(2024, 1, 1) - d", D(-30)),
        ("dtm + 1", dt.datetime(2024, 2, 1, 9, 15, tzinfo=UTC)),
        ("dtm + 0.5", dt.datetime(2024, 1, 31, 21, 15, tzinfo=UTC)),
        ("dtm - 1/24", dt.datetime(2024, 1, 31, 8, 15, tzinfo=UTC)),
        ('dtm - DATETIMEVALUE("2024-01-30 21:15:00")', D("0.5")),
        ('DATETIMEVALUE("2024-01-31 10:15:00") - dtm', D("0.04166666666666666666666666666666667")),
        ("t + 1000", dt.time(9, 15, 1)),
        ("t - 60000", dt.time(9, 14)),
        ("t + 86400000", dt.time(9, 15)),  # wraps around midnight
        ('TIMEVALUE("23:59:59.500") + 1000', dt.time(0, 0, 0, 500_000)),
        ('t - TIMEVALUE("09:00:00")', D(900_000)),  # milliseconds
    ],
)
def test_temporal_arithmetic(ev, expression, expected):
    assert ev(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1 = 1", True),
        ("1 == 1.0", True),
        ("1 = 2", False),
        ("1 <> 2", True),
        ("1 != 1", False),
        ('"a" = "a"', True),
        ('"a" = "A"', False),  # text equality is case-sensitive
        ("TRUE = TRUE", True),
        ("TRUE <> FALSE", True),
        ("1 < 2", True),
        ("2 < 1", False),
        ("2 <= 2", True),
        ("3 > 2", True),
        ("2 >= 3", False),
        ('"abc" < "abd"', True),
        ("d = DATE(2024, 1, 31)", True),
        ("d < DATE(2024, 2, 1)", True),
        ('dtm > DATETIMEVALUE("2024-01-31 09:00:00")', True),
        ('d = DATETIMEVALUE("2024-01-31 00:00:00")', True),
        ('t < TIMEVALUE("10:00:00")', True),
        ("1 + 1 = 2 && 2 > 1", True),
        ("1 < 2 = TRUE", True),  # relational binds tighter than equality
    ],
)
def test_comparisons(ev, expression, expected):
    assert ev(expression) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("NULL = NULL", True),
        ("nothing = NULL", True),
        ("nothing == nothing", True),
        ("1 = NULL", False),
        ("NULL = 1", False),
        ("NULL <> NULL", False),
        ("1 <> NULL", True),
        # Formulas have no null text: a blank text value equals "" (unlike flow conditions, where
        # IsNull("") is false — confirmations.md §6d).
        ("empty = NULL", True),
        ('nothing = ""', True),
        ('nothing <> ""', False),
        ("nothing = NULL", True),
        ("nothing = 0", False),
        ('nothing < "a"', None),
        ("nothing < 1", None),
        ("1 >= nothing", None),
        ("nothing + 1", None),
        ("1 - nothing", None),
        ("nothing * 2", None),
        ("nothing / 2", None),
        ("nothing ^ 2", None),
        ("-nothing", None),
        ("d + nothing", None),
        ("Account.Parent.Name", None),
        ("Account.Parent.Name = NULL", True),
    ],
)
def test_null_rules(ev, expression, expected):
    assert ev(expression) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("TRUE && TRUE", True),
        ("TRUE && FALSE", False),
        ("FALSE || TRUE", True),
        ("FALSE || FALSE", False),
        ("!TRUE", False),
        ("!FALSE", True),
        ("NOT TRUE", False),
        ("NOT(FALSE)", True),
        ("!nothing", True),
        ("TRUE && nothing", False),
        ("nothing || TRUE", True),
        ("TRUE || FALSE && FALSE", True),  # && binds tighter than ||
        ("(TRUE || FALSE) && FALSE", False),
        ("!TRUE || TRUE", True),  # ! binds tighter than ||
        ("FALSE && (1/0 = 1)", False),  # short-circuit
        ("TRUE || (1/0 = 1)", True),
        ("flag && num > 5", True),
    ],
)
def test_logical_operators(ev, expression, expected):
    assert ev(expression) is expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('"a" * 2', "operator '*'"),
        ('"a" - "b"', "operator '-'"),
        ('2 / "a"', "operator '/'"),
        ('"a" ^ 2', "operator '^'"),
        ('"a" + 1', "operator '+'"),
        ("1 & 2", "operator '&'"),
        ("TRUE + 1", "operator '+'"),
        ('-"a"', "operator '-'"),
        ('1 = "1"', "operator '='"),
        ("TRUE < FALSE", "operator '<'"),
        ("d < 5", "operator '<'"),
        ("d - dtm", "operator '-'"),
        ("1 && TRUE", "operator '&&'"),
        ('!"x"', "operator '!'"),
        ("items < items", "operator '<'"),
    ],
)
def test_operator_type_errors(ev, expression, message):
    with pytest.raises(FormulaRuntimeError, match=re.escape(message)):
        ev(expression)


@pytest.mark.parametrize("expression", ["1 / 0", "num / zero", "0 ^ -1", "MOD(5, 0)"])
def test_division_by_zero(ev, expression):
    with pytest.raises(FormulaRuntimeError, match="Division by zero"):
        ev(expression)


def test_runtime_error_message_is_prefixed(ev):
    with pytest.raises(FormulaRuntimeError) as caught:
        ev("1/0")
    assert str(caught.value) == "Error evaluating formula: Division by zero"


def test_negative_base_fractional_power_is_an_error(ev):
    with pytest.raises(FormulaRuntimeError, match="fractional power"):
        ev("(-8) ^ 0.5")


def test_date_overflow_is_a_runtime_error(ev):
    with pytest.raises(FormulaRuntimeError, match="out of range"):
        ev("DATE(9999, 12, 31) + 1")
