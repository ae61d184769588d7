"""Hypothesis properties: rounding against Decimal.quantize, substring consistency, text round trips."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from flowforce.formula import SimpleEnvironment, compile_formula, format_merge_value

NOW = dt.datetime(2024, 1, 31, tzinfo=dt.UTC)
decimals = st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False)
texts = st.text(max_size=30)
counts = st.integers(min_value=-3, max_value=40)

ROUND = compile_formula("ROUND(x, n)")
LEFT_RIGHT = compile_formula("LEFT(s, n) & MID(s, n + 1, LEN(s))")
RIGHT = compile_formula("RIGHT(s, n)")
MID = compile_formula("MID(s, n, LEN(s))")
VALUE_TEXT = compile_formula("VALUE(TEXT(x))")
ADD_SUB = compile_formula("(d + n) - n")
DATE_DIFF = compile_formula("(d + n) - d")
CONCAT_LEN = compile_formula("LEN(s & t) = LEN(s) + LEN(t)")


def env(**values: object) -> SimpleEnvironment:
    return SimpleEnvironment(values, now=NOW)


@given(decimals, st.integers(min_value=0, max_value=6))
def test_round_matches_quantize_half_up(x, n):
    expected = x.quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP)
    assert ROUND.evaluate(env(x=x, n=Decimal(n))) == expected


@given(decimals, st.integers(min_value=0, max_value=6))
def test_round_is_symmetric_around_zero(x, n):
    assert ROUND.evaluate(env(x=-x, n=Decimal(n))) == -ROUND.evaluate(env(x=x, n=Decimal(n)))


@given(texts, st.integers(min_value=0, max_value=40))
def test_left_then_mid_rebuilds_the_text(s, n):
    assert LEFT_RIGHT.evaluate(env(s=s, n=Decimal(n))) == s


@given(texts, counts)
def test_right_is_a_suffix_of_bounded_length(s, n):
    result = RIGHT.evaluate(env(s=s, n=Decimal(n)))
    assert s.endswith(result)
    assert len(result) == max(0, min(n, len(s)))


@given(texts, st.integers(min_value=1, max_value=40))
def test_mid_to_the_end_equals_slicing(s, n):
    assert MID.evaluate(env(s=s, n=Decimal(n))) == s[n - 1 :]


@given(decimals)
def test_value_of_text_round_trips(x):
    assert VALUE_TEXT.evaluate(env(x=x)) == x


@given(decimals)
def test_merge_format_never_uses_an_exponent(x):
    text = format_merge_value(x)
    assert "E" not in text and "e" not in text
    assert Decimal(text) == x


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2900, 1, 1)), st.integers(-10000, 10000))
def test_date_plus_minus_days(d, n):
    assert ADD_SUB.evaluate(env(d=d, n=Decimal(n))) == d
    assert DATE_DIFF.evaluate(env(d=d, n=Decimal(n))) == n


@given(texts, texts)
def test_concatenation_length_adds_up(s, t):
    assert CONCAT_LEN.evaluate(env(s=s, t=t)) is True
