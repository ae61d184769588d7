"""Math functions, rounding rules and Decimal exactness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from flowforce.formula import FormulaRuntimeError


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("ROUND(2.5, 0)", "3"),
        ("ROUND(-2.5, 0)", "-3"),
        ("ROUND(1.2345, 2)", "1.23"),
        ("ROUND(1.235, 2)", "1.24"),
        ("ROUND(-1.235, 2)", "-1.24"),
        ("ROUND(1225, -2)", "1200"),
        ("ROUND(1250, -2)", "1300"),
        ("ROUND(-1250, -2)", "-1300"),
        ("ROUND(1.5, 0)", "2"),
        ("ROUND(0.5, 0)", "1"),
        ("ROUND(1.2, 3)", "1.200"),
        ("ROUND(12.345, 1.9)", "12.3"),  # digits are truncated to an integer
        ("TRUNC(1.99)", "1"),
        ("TRUNC(-1.99)", "-1"),
        ("TRUNC(1.2345, 2)", "1.23"),
        ("TRUNC(1299, -2)", "1200"),
        ("CEILING(2.5)", "3"),
        ("CEILING(-2.5)", "-3"),  # away from zero: KB 000386432
        ("CEILING(2)", "2"),
        ("FLOOR(2.5)", "2"),
        ("FLOOR(-2.5)", "-2"),  # towards zero
        ("MCEILING(2.5)", "3"),
        ("MCEILING(-2.5)", "-2"),
        ("MFLOOR(2.5)", "2"),
        ("MFLOOR(-2.5)", "-3"),
        ("ABS(-3.5)", "3.5"),
        ("ABS(3)", "3"),
        ("MOD(10, 3)", "1"),
        ("MOD(-10, 3)", "-1"),
        ("MOD(10, -3)", "1"),
        ("MOD(5.5, 2)", "1.5"),
        ("MAX(1, 5, 3)", "5"),
        ("MAX(-1)", "-1"),
        ("MIN(1, 5, -3)", "-3"),
        ("MIN(2.5, 2.25)", "2.25"),
        ("SQRT(16)", "4"),
        ("SQRT(0)", "0"),
        ("SQRT(2)", "1.414213562373095048801688724209698"),
        ("EXP(0)", "1"),
        ("LN(1)", "0"),
        ("LN(EXP(2))", "2.000000000000000000000000000000000"),
        ("LOG(100)", "2"),
        ("LOG(1000)", "3"),
        ("PI()", "3.141592653589793238462643383279503"),
        ('CURRENCYRATE("EUR")', "1"),
        ('PICKLISTCOUNT("a;b;c")', "3"),
        ('PICKLISTCOUNT("a")', "1"),
        ("PICKLISTCOUNT(nothing)", "0"),
        ('PICKLISTCOUNT("")', "0"),
        ("UNIXTIMESTAMP(DATE(1970, 1, 2))", "86400"),
        ('UNIXTIMESTAMP(DATETIMEVALUE("2024-01-31 09:15:00"))', "1706692500"),
        ('UNIXTIMESTAMP(TIMEVALUE("01:00:05"))', "3605"),
    ],
)
def test_math_exact(ev, expression, expected):
    result = ev(expression)
    assert isinstance(result, D)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("SIN(0)", 0.0),
        ("COS(0)", 1.0),
        ("TAN(PI()/4)", 1.0),
        ("ASIN(1)", 1.5707963267948966),
        ("ACOS(1)", 0.0),
        ("ATAN(1)", 0.7853981633974483),
        ("ATAN2(1, 1)", 0.7853981633974483),
        ("ATAN2(1, 0)", 0.0),  # ATAN2(x, y) = atan(y/x)
        ("ATAN2(0, 1)", 1.5707963267948966),
        ("EXP(1)", 2.718281828459045),
    ],
)
def test_float_math(ev, expression, expected):
    result = ev(expression)
    assert isinstance(result, D)
    assert float(result) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("expression", "expected_km"),
    [
        ('DISTANCE(GEOLOCATION(0, 0), GEOLOCATION(0, 1), "km")', 111.195),
        ('DISTANCE(GEOLOCATION(37.7749, -122.4194), GEOLOCATION(34.0522, -118.2437), "km")', 559.12),
        ('DISTANCE(GEOLOCATION(51.5, 0), GEOLOCATION(51.5, 0), "km")', 0.0),
    ],
)
def test_distance_km(ev, expression, expected_km):
    assert float(ev(expression)) == pytest.approx(expected_km, rel=1e-3)


def test_distance_miles_and_compound_field(ev):
    place = {"Location__c": {"Latitude": D(0), "Longitude": D(1)}}
    miles = ev('DISTANCE(Location__c, GEOLOCATION(0, 0), "mi")', place)
    assert float(miles) == pytest.approx(69.09, rel=1e-3)


def test_distance_rejects_unknown_unit(ev):
    with pytest.raises(FormulaRuntimeError, match="unit"):
        ev('DISTANCE(GEOLOCATION(0, 0), GEOLOCATION(0, 1), "ft")')


def test_fromunixtime(ev):
    assert ev("FROMUNIXTIME(1706692500)") == dt.datetime(2024, 1, 31, 9, 15, tzinfo=dt.UTC)
    assert ev("FROMUNIXTIME(0.5)") == dt.datetime(1970, 1, 1, 0, 0, 0, 500_000, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "expression",
    [
        "ROUND(nothing, 2)",
        "ROUND(1.5, nothing)",
        "ABS(nothing)",
        "MAX(1, nothing)",
        "SQRT(nothing)",
        "CEILING(nothing)",
        "MOD(nothing, 2)",
        "TRUNC(nothing)",
        "SIN(nothing)",
    ],
)
def test_math_null_propagates(ev, expression):
    assert ev(expression) is None


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('ABS("x")', "ABS\\(\\)\\. Expected Number"),
        ("SQRT(-1)", "SQRT\\(\\) requires a positive number"),
        ("LN(0)", "LN\\(\\) requires a positive number"),
        ("LOG(-5)", "LOG\\(\\) requires a positive number"),
        ("ASIN(2)", "ASIN\\(\\) argument is out of range"),
        ('ROUND("1.5", 0)', "Expected Number, received Text"),
        ("MAX(1, TRUE)", "Expected Number, received Boolean"),
        ('DISTANCE("a", GEOLOCATION(0, 0), "km")', "Expected Location"),
    ],
)
def test_math_errors(ev, expression, message):
    with pytest.raises(FormulaRuntimeError, match=message):
        ev(expression)
