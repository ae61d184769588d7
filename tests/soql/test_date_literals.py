"""Relative date literals as [start, end) ranges; weeks start on Sunday, fiscal = calendar year."""

from __future__ import annotations

import datetime as dt

import pytest

from flowforce.soql.date_literals import check_date_literal, date_range

TODAY = dt.date(2024, 5, 15)  # a Wednesday in Q2
D = dt.date


@pytest.mark.parametrize(
    ("name", "n", "start", "end"),
    [
        ("TODAY", None, D(2024, 5, 15), D(2024, 5, 16)),
        ("YESTERDAY", None, D(2024, 5, 14), D(2024, 5, 15)),
        ("TOMORROW", None, D(2024, 5, 16), D(2024, 5, 17)),
        ("THIS_WEEK", None, D(2024, 5, 12), D(2024, 5, 19)),
        ("LAST_WEEK", None, D(2024, 5, 5), D(2024, 5, 12)),
        ("NEXT_WEEK", None, D(2024, 5, 19), D(2024, 5, 26)),
        ("THIS_MONTH", None, D(2024, 5, 1), D(2024, 6, 1)),
        ("LAST_MONTH", None, D(2024, 4, 1), D(2024, 5, 1)),
        ("NEXT_MONTH", None, D(2024, 6, 1), D(2024, 7, 1)),
        ("THIS_QUARTER", None, D(2024, 4, 1), D(2024, 7, 1)),
        ("LAST_QUARTER", None, D(2024, 1, 1), D(2024, 4, 1)),
        ("NEXT_QUARTER", None, D(2024, 7, 1), D(2024, 10, 1)),
        ("THIS_YEAR", None, D(2024, 1, 1), D(2025, 1, 1)),
        ("LAST_YEAR", None, D(2023, 1, 1), D(2024, 1, 1)),
        ("NEXT_YEAR", None, D(2025, 1, 1), D(2026, 1, 1)),
        ("THIS_FISCAL_QUARTER", None, D(2024, 4, 1), D(2024, 7, 1)),
        ("LAST_FISCAL_YEAR", None, D(2023, 1, 1), D(2024, 1, 1)),
        ("LAST_90_DAYS", None, D(2024, 2, 15), D(2024, 5, 16)),
        ("NEXT_90_DAYS", None, D(2024, 5, 16), D(2024, 8, 14)),
        ("LAST_N_DAYS", 1, D(2024, 5, 14), D(2024, 5, 16)),
        ("NEXT_N_DAYS", 2, D(2024, 5, 16), D(2024, 5, 18)),
        ("N_DAYS_AGO", 3, D(2024, 5, 12), D(2024, 5, 13)),
        ("LAST_N_WEEKS", 2, D(2024, 4, 28), D(2024, 5, 12)),
        ("NEXT_N_WEEKS", 1, D(2024, 5, 19), D(2024, 5, 26)),
        ("N_WEEKS_AGO", 1, D(2024, 5, 5), D(2024, 5, 12)),
        ("LAST_N_MONTHS", 6, D(2023, 11, 1), D(2024, 5, 1)),
        ("NEXT_N_MONTHS", 8, D(2024, 6, 1), D(2025, 2, 1)),
        ("N_MONTHS_AGO", 5, D(2023, 12, 1), D(2024, 1, 1)),
        ("LAST_N_QUARTERS", 2, D(2023, 10, 1), D(2024, 4, 1)),
        ("NEXT_N_FISCAL_QUARTERS", 1, D(2024, 7, 1), D(2024, 10, 1)),
        ("LAST_N_YEARS", 2, D(2022, 1, 1), D(2024, 1, 1)),
        ("NEXT_N_FISCAL_YEARS", 1, D(2025, 1, 1), D(2026, 1, 1)),
        ("N_YEARS_AGO", 1, D(2023, 1, 1), D(2024, 1, 1)),
        ("N_FISCAL_QUARTERS_AGO", 4, D(2023, 4, 1), D(2023, 7, 1)),
    ],
)
def test_ranges(name: str, n: int | None, start: dt.date, end: dt.date) -> None:
    assert date_range(name, n, TODAY) == (start, end)


def test_week_containing_a_sunday_starts_that_day() -> None:
    assert date_range("THIS_WEEK", None, D(2024, 5, 12)) == (D(2024, 5, 12), D(2024, 5, 19))


@pytest.mark.parametrize(
    ("name", "n", "problem"),
    [("TODAY", None, None), ("today", 1, "n"), ("LAST_N_DAYS", None, "n"), ("LAST_N_DAYS", 3, None),
     ("LAST_FISCAL_WEEK", None, "name"), ("SOMEDAY", None, "name"), ("N_DAYS_AGO", -1, "n")],
)  # fmt: skip
def test_validation(name: str, n: int | None, problem: str | None) -> None:
    assert check_date_literal(name, n) == problem
