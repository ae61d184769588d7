"""Date, DateTime and Time functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flowforce.formula import FormulaRuntimeError

UTC = dt.UTC


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("ADDMONTHS(DATE(2024, 1, 15), 1)", dt.date(2024, 2, 15)),
        ("ADDMONTHS(DATE(2024, 1, 31), 1)", dt.date(2024, 2, 29)),  # clamped
        ("ADDMONTHS(DATE(2023, 1, 31), 1)", dt.date(2023, 2, 28)),
        ("ADDMONTHS(DATE(2024, 2, 29), 1)", dt.date(2024, 3, 31)),  # last day stays last day
        ("ADDMONTHS(DATE(2023, 2, 28), 1)", dt.date(2023, 3, 31)),
        ("ADDMONTHS(DATE(2024, 2, 28), 1)", dt.date(2024, 3, 28)),  # not the last day in a leap year
        ("ADDMONTHS(DATE(2024, 4, 30), 1)", dt.date(2024, 5, 31)),
        ("ADDMONTHS(DATE(2024, 3, 31), -1)", dt.date(2024, 2, 29)),
        ("ADDMONTHS(DATE(2024, 1, 10), -13)", dt.date(2022, 12, 10)),
        ("ADDMONTHS(DATE(2024, 12, 15), 1)", dt.date(2025, 1, 15)),
        ("ADDMONTHS(DATE(2024, 1, 15), 12)", dt.date(2025, 1, 15)),
        ("ADDMONTHS(DATE(2024, 1, 15), 0)", dt.date(2024, 1, 15)),
        ("ADDMONTHS(DATE(2024, 1, 15), 1.9)", dt.date(2024, 2, 15)),
        ("ADDMONTHS(dtm, 1)", dt.datetime(2024, 2, 29, 9, 15, tzinfo=UTC)),
        ("DATE(2024, 2, 29)", dt.date(2024, 2, 29)),
        ('DATEVALUE("2024-03-05")', dt.date(2024, 3, 5)),
        ('DATEVALUE("2024-3-5")', dt.date(2024, 3, 5)),
        ('DATEVALUE("2024-03-05 23:59:59")', dt.date(2024, 3, 5)),
        ("DATEVALUE(dtm)", dt.date(2024, 1, 31)),
        ("DATEVALUE(d)", dt.date(2024, 1, 31)),
        ('DATETIMEVALUE("2024-03-05 10:20:30")', dt.datetime(2024, 3, 5, 10, 20, 30, tzinfo=UTC)),
        (
            'DATETIMEVALUE("2024-03-05T10:20:30.250Z")',
            dt.datetime(2024, 3, 5, 10, 20, 30, 250_000, tzinfo=UTC),
        ),
        ('DATETIMEVALUE("2024-03-05")', dt.datetime(2024, 3, 5, tzinfo=UTC)),
        ("DATETIMEVALUE(d)", dt.datetime(2024, 1, 31, tzinfo=UTC)),
        ('TIMEVALUE("17:30:45.125")', dt.time(17, 30, 45, 125_000)),
        ('TIMEVALUE("08:05")', dt.time(8, 5)),
        ("TIMEVALUE(dtm)", dt.time(9, 15)),
        ("TODAY()", dt.date(2024, 1, 31)),
        ("NOW()", dt.datetime(2024, 1, 31, 9, 15, tzinfo=UTC)),
        ("TIMENOW()", dt.time(9, 15)),
        ("{!$Flow.CurrentDate}", dt.date(2024, 1, 31)),
        ("$Flow.CurrentDateTime", dt.datetime(2024, 1, 31, 9, 15, tzinfo=UTC)),
    ],
)
def test_date_values(ev, expression, expected):
    assert ev(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("DAY(d)", 31),
        ("MONTH(d)", 1),
        ("YEAR(d)", 2024),
        ("DAY(dtm)", 31),
        ("DAYOFYEAR(DATE(2024, 12, 31))", 366),
        ("DAYOFYEAR(DATE(2023, 12, 31))", 365),
        ("DAYOFYEAR(DATE(2024, 1, 1))", 1),
        ("WEEKDAY(DATE(2024, 1, 28))", 1),  # Sunday
        ("WEEKDAY(DATE(2024, 1, 29))", 2),  # Monday
        ("WEEKDAY(DATE(2024, 2, 3))", 7),  # Saturday
        ("ISOWEEK(DATE(2024, 1, 1))", 1),
        ("ISOWEEK(DATE(2021, 1, 3))", 53),
        ("ISOYEAR(DATE(2021, 1, 3))", 2020),
        ("ISOYEAR(DATE(2024, 12, 30))", 2025),
        ("HOUR(t)", 9),
        ("MINUTE(t)", 15),
        ('SECOND(TIMEVALUE("01:02:03.456"))', 3),
        ('MILLISECOND(TIMEVALUE("01:02:03.456"))', 456),
        ("HOUR(dtm)", 9),
    ],
)
def test_date_parts(ev, expression, expected):
    result = ev(expression)
    assert isinstance(result, D)
    assert result == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("FORMATDURATION(2000)", "00:33:20"),
        ("FORMATDURATION(100000)", "27:46:40"),
        ("FORMATDURATION(100000, TRUE)", "1:03:46:40"),
        ("FORMATDURATION(59, FALSE)", "00:00:59"),
        ("FORMATDURATION(0)", "00:00:00"),
        (
            'FORMATDURATION(DATETIMEVALUE("2024-01-01 08:30:00"), DATETIMEVALUE("2024-01-01 09:00:00"))',
            "0:00:30:00",
        ),
        (
            'FORMATDURATION(DATETIMEVALUE("2024-01-03 09:00:00"), DATETIMEVALUE("2024-01-01 08:00:00"))',
            "2:01:00:00",
        ),
        ('FORMATDURATION(TIMEVALUE("08:00:00"), TIMEVALUE("09:30:15"))', "01:30:15"),
    ],
)
def test_formatduration(ev, expression, expected):
    assert ev(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "DAY(nothing)",
        "ADDMONTHS(nothing, 1)",
        "ADDMONTHS(d, nothing)",
        "DATEVALUE(nothing)",
        "DATE(2024, nothing, 1)",
        "HOUR(nothing)",
        "FORMATDURATION(nothing)",
    ],
)
def test_date_null_propagates(ev, expression):
    assert ev(expression) is None


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('DAY("x")', "Incorrect parameter type for DAY(). Expected Date, received Text"),
        ("MONTH(5)", "Expected Date, received Number"),
        ("HOUR(d)", "Expected Time, received Date"),
        ("DATE(2023, 2, 30)", "DATE() received an invalid value: '2023-2-30'"),
        ("DATE(2024, 13, 1)", "DATE() received an invalid value"),
        ('DATEVALUE("31/01/2024")', "DATEVALUE() received an invalid value: '31/01/2024'"),
        ('DATEVALUE("2024-02-30")', "DATEVALUE() received an invalid value"),
        ('DATETIMEVALUE("2024-01-01 25:00:00")', "DATETIMEVALUE() received an invalid value"),
        ('TIMEVALUE("noon")', "TIMEVALUE() received an invalid value: 'noon'"),
        ("ADDMONTHS(DATE(9999, 12, 1), 1)", "ADDMONTHS() result is out of range"),
        ('FORMATDURATION("x")', "Incorrect parameter types for FORMATDURATION(): Text"),
        ("FORMATDURATION(d, dtm)", "Incorrect parameter types for FORMATDURATION()"),
    ],
)
def test_date_errors(ev, expression, message):
    with pytest.raises(FormulaRuntimeError) as caught:
        ev(expression)
    assert message in str(caught.value)
