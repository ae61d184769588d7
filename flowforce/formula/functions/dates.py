"""Date, DateTime and Time functions. DateTimes are UTC; the running user's time zone is not modelled."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal
from typing import Any

from flowforce.dates import add_months as shift_months
from flowforce.formula.environment import FormulaEnvironment
from flowforce.formula.errors import FormulaRuntimeError
from flowforce.formula.functions.registry import function
from flowforce.formula.values import UTC, as_utc, date_to_datetime, expect, is_number, type_name

_DATE_TEXT = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME_TEXT = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?")
_TIME_SUFFIX = re.compile(r"(?:[ T]" + _TIME_TEXT.pattern + r")?\s*(Z|[+-]00:?00)?\s*")


def _integer(value: Any, name: str) -> int:
    return int(expect(value, "Number", f"{name}()").to_integral_value(ROUND_DOWN))


def _date(value: Any, name: str) -> dt.date:
    """A Date argument; a DateTime is accepted and read as its UTC date."""
    checked = expect(value, "Date", f"{name}()")
    return as_utc(checked).date() if isinstance(checked, dt.datetime) else checked  # type: ignore[no-any-return]


def _time(value: Any, name: str) -> dt.time:
    """A Time argument; a DateTime is accepted and read as its UTC time of day."""
    if isinstance(value, dt.datetime):
        return as_utc(value).time()
    return expect(value, "Time", f"{name}()")  # type: ignore[no-any-return]


def _build(name: str, text: str, build: Callable[[], Any]) -> Any:
    try:
        return build()
    except (ValueError, OverflowError):
        raise FormulaRuntimeError(f"{name}() received an invalid value: {text!r}") from None


def _millis_time(hour: str, minute: str, second: str | None, fraction: str | None) -> dt.time:
    millis = int((fraction or "0").ljust(3, "0"))
    return dt.time(int(hour), int(minute), int(second or 0), millis * 1000)


def parse_datetime_text(text: str, name: str) -> dt.datetime:
    """`YYYY-MM-DD[ HH:MM[:SS[.mmm]]][Z]` (also with `T`), read as UTC."""
    date_match = _DATE_TEXT.match(text)
    suffix = _TIME_SUFFIX.fullmatch(text, date_match.end()) if date_match else None
    if date_match is None or suffix is None:
        raise FormulaRuntimeError(f"{name}() received an invalid value: {text!r}")
    year, month, day = (int(part) for part in date_match.groups())
    hour, minute, second, fraction, _zone = suffix.groups()

    def build() -> dt.datetime:
        clock = _millis_time(hour or "0", minute or "0", second, fraction)
        return dt.datetime.combine(dt.date(year, month, day), clock, tzinfo=UTC)

    return _build(name, text, build)  # type: ignore[no-any-return]


def add_months(start: dt.date, months: int) -> dt.date:
    try:
        return shift_months(start, months)
    except ValueError:
        raise FormulaRuntimeError("ADDMONTHS() result is out of range") from None


@function("ADDMONTHS", 2)
def addmonths(value: Any, months: Any) -> dt.date:
    count = _integer(months, "ADDMONTHS")
    if isinstance(value, dt.datetime):
        moment = as_utc(value)
        return dt.datetime.combine(add_months(moment.date(), count), moment.timetz())
    return add_months(_date(value, "ADDMONTHS"), count)


@function("DATE", 3)
def date(year: Any, month: Any, day: Any) -> dt.date:
    parts = tuple(_integer(part, "DATE") for part in (year, month, day))
    return _build("DATE", "-".join(map(str, parts)), lambda: dt.date(*parts))  # type: ignore[no-any-return]


@function("DATEVALUE", 1)
def datevalue(value: Any) -> dt.date:
    if isinstance(value, str):
        return parse_datetime_text(value, "DATEVALUE").date()
    return _date(value, "DATEVALUE")


@function("DATETIMEVALUE", 1)
def datetimevalue(value: Any) -> dt.datetime:
    if isinstance(value, str):
        return parse_datetime_text(value, "DATETIMEVALUE")
    if isinstance(value, dt.datetime):
        return as_utc(value)
    return date_to_datetime(_date(value, "DATETIMEVALUE"))


@function("TIMEVALUE", 1)
def timevalue(value: Any) -> dt.time:
    if isinstance(value, str):
        match = _TIME_TEXT.fullmatch(value.strip().removesuffix("Z"))
        if match is None:
            raise FormulaRuntimeError(f"TIMEVALUE() received an invalid value: {value!r}")
        return _build("TIMEVALUE", value, lambda: _millis_time(*match.groups()))  # type: ignore[no-any-return]
    return _time(value, "TIMEVALUE")


def _part(name: str, extract: Callable[[Any], int], read: Callable[[Any, str], Any]) -> None:
    def part(value: Any) -> Decimal:
        return Decimal(extract(read(value, name)))

    function(name, 1)(part)


for _name, _extract in {
    "DAY": lambda d: d.day,
    "MONTH": lambda d: d.month,
    "YEAR": lambda d: d.year,
    "DAYOFYEAR": lambda d: d.timetuple().tm_yday,
    "WEEKDAY": lambda d: d.isoweekday() % 7 + 1,  # 1 = Sunday … 7 = Saturday
    "ISOWEEK": lambda d: d.isocalendar()[1],
    "ISOYEAR": lambda d: d.isocalendar()[0],
}.items():
    _part(_name, _extract, _date)

for _name, _extract in {
    "HOUR": lambda t: t.hour,
    "MINUTE": lambda t: t.minute,
    "SECOND": lambda t: t.second,
    "MILLISECOND": lambda t: t.microsecond // 1000,
}.items():
    _part(_name, _extract, _time)


@function("NOW", 0, mode="env")
def now(env: FormulaEnvironment) -> dt.datetime:
    return as_utc(env.now())


@function("TODAY", 0, mode="env")
def today(env: FormulaEnvironment) -> dt.date:
    return env.today()


@function("TIMENOW", 0, mode="env")
def timenow(env: FormulaEnvironment) -> dt.time:
    moment = as_utc(env.now()).time()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _clock(seconds: int, include_days: bool) -> str:
    days, rest = divmod(seconds, 86_400) if include_days else (0, seconds)
    hours, rest = divmod(rest, 3600)
    text = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{days}:{text}" if include_days else text


@function("FORMATDURATION", 1, 3)
def formatduration(first: Any, second: Any = None, third: Any = None) -> str:
    """Seconds → `HH:MM:SS` (`D:HH:MM:SS` with include_days); DateTimes → `D:HH:MM:SS`; Times → `HH:MM:SS`.

    The DateTime form always shows days, e.g. "0:00:30:00" for half an hour (UNCONFIRMED beyond that example).
    """
    if is_number(first):
        if third is not None:
            raise FormulaRuntimeError("FORMATDURATION() takes at most 2 arguments with a number of seconds")
        include_days = False if second is None else expect(second, "Boolean", "FORMATDURATION()")
        return _clock(abs(_integer(first, "FORMATDURATION")), include_days)
    if isinstance(first, dt.datetime) and isinstance(second, dt.datetime):
        seconds = abs(as_utc(second) - as_utc(first)) // dt.timedelta(seconds=1)
        return _clock(seconds, True if third is None else expect(third, "Boolean", "FORMATDURATION()"))
    if isinstance(first, dt.time) and isinstance(second, dt.time):
        day = dt.date(2000, 1, 1)
        delta = abs(dt.datetime.combine(day, second) - dt.datetime.combine(day, first))
        return _clock(delta // dt.timedelta(seconds=1), False)
    kinds = ", ".join(type_name(arg) for arg in (first, second, third) if arg is not None)
    raise FormulaRuntimeError(f"Incorrect parameter types for FORMATDURATION(): {kinds}")
