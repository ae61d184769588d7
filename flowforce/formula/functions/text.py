"""Text functions.

Predicates and measures (BEGINS, CONTAINS, INCLUDES, FIND, LEN, REGEX, ISPICKVAL) read a null text as "" so
conditions stay boolean; functions that build text return null for a null input (null propagation).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import ROUND_DOWN, Decimal
from typing import Any
from urllib.parse import quote

from flowforce.formula.environment import FormulaEnvironment
from flowforce.formula.errors import FormulaRuntimeError
from flowforce.formula.functions.regex import regex_matches
from flowforce.formula.functions.registry import function
from flowforce.formula.values import (
    NUMBER_TEXT,
    as_utc,
    expect,
    format_decimal,
    format_millis_time,
    is_number,
    normalize,
    type_name,
)

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_CASESAFE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_JS_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "<": "\\u003C",
    ">": "\\u003E",
}


def _text(value: Any, name: str) -> str:
    return expect(value, "Text", f"{name}()")  # type: ignore[no-any-return]


def _text_or_empty(value: Any, name: str) -> str:
    return "" if value is None else _text(value, name)


def _count(value: Any, name: str) -> int:
    """An integer argument (a length or position); fractions are dropped."""
    return int(expect(value, "Number", f"{name}()").to_integral_value(ROUND_DOWN))


@function("LEN", 1, nulls=False)
def len_(value: Any) -> Decimal:
    return Decimal(len(_text_or_empty(value, "LEN")))


@function("LEFT", 2)
def left(value: Any, count: Any) -> str:
    return _text(value, "LEFT")[: max(_count(count, "LEFT"), 0)]


@function("RIGHT", 2)
def right(value: Any, count: Any) -> str:
    text, n = _text(value, "RIGHT"), _count(count, "RIGHT")
    return text[max(len(text) - n, 0) :] if n > 0 else ""


@function("MID", 3)
def mid(value: Any, start: Any, count: Any) -> str:
    begin = max(_count(start, "MID"), 1) - 1  # 1-based; a start below 1 reads from the first character
    return _text(value, "MID")[begin : begin + max(_count(count, "MID"), 0)]


def _pad(name: str, value: Any, length: Any, pad: Any, on_left: bool) -> str:
    text, size = _text(value, name), max(_count(length, name), 0)
    filler = " " if pad is None else _text(pad, name)
    if len(text) >= size or not filler:
        return text[:size]  # longer text is truncated to the padded length
    padding = (filler * (size // len(filler) + 1))[: size - len(text)]
    return padding + text if on_left else text + padding


@function("LPAD", 2, 3)
def lpad(value: Any, length: Any, pad: Any = None) -> str:
    return _pad("LPAD", value, length, pad, on_left=True)


@function("RPAD", 2, 3)
def rpad(value: Any, length: Any, pad: Any = None) -> str:
    return _pad("RPAD", value, length, pad, on_left=False)


@function("FIND", 2, 3, nulls=False)
def find(search: Any, value: Any, start: Any = None) -> Decimal:
    needle, text = _text_or_empty(search, "FIND"), _text_or_empty(value, "FIND")
    begin = 1 if start is None else _count(start, "FIND")
    if not needle or begin < 1:
        return Decimal(0)
    return Decimal(text.find(needle, begin - 1) + 1)


@function("BEGINS", 2, nulls=False)
def begins(value: Any, prefix: Any) -> bool:
    return _text_or_empty(value, "BEGINS").startswith(_text_or_empty(prefix, "BEGINS"))


@function("CONTAINS", 2, nulls=False)
def contains(value: Any, fragment: Any) -> bool:
    return _text_or_empty(fragment, "CONTAINS") in _text_or_empty(value, "CONTAINS")


@function("INCLUDES", 2, nulls=False)
def includes(multipicklist: Any, value: Any) -> bool:
    selected = _text_or_empty(multipicklist, "INCLUDES").split(";")
    return _text_or_empty(value, "INCLUDES") in (item.strip() for item in selected)


@function("REGEX", 2, nulls=False)
def regex(value: Any, pattern: Any) -> bool:
    return regex_matches(_text_or_empty(value, "REGEX"), _text_or_empty(pattern, "REGEX"))


@function("SUBSTITUTE", 3, nulls=False)
def substitute(value: Any, old: Any, new: Any) -> str | None:
    if value is None:
        return None
    text, target = _text(value, "SUBSTITUTE"), _text_or_empty(old, "SUBSTITUTE")
    return text.replace(target, _text_or_empty(new, "SUBSTITUTE")) if target else text


@function("TRIM", 1)
def trim(value: Any) -> str:
    return _text(value, "TRIM").strip(" \t\r\n")


@function("UPPER", 1, 2, nulls=False)
def upper(value: Any, _locale: Any = None) -> str | None:
    return None if value is None else _text(value, "UPPER").upper()


@function("LOWER", 1, 2, nulls=False)
def lower(value: Any, _locale: Any = None) -> str | None:
    return None if value is None else _text(value, "LOWER").lower()


@function("INITCAP", 1)
def initcap(value: Any) -> str:
    # Letters after an apostrophe inside a word stay lower case: "don't" → "Don't" (UNCONFIRMED).
    return _WORD.sub(lambda m: m[0][:1].upper() + m[0][1:].lower(), _text(value, "INITCAP"))


@function("REVERSE", 1)
def reverse(value: Any) -> str:
    return _text(value, "REVERSE")[::-1]


@function("BR", 0)
def br() -> str:
    return "<br>"


@function("HTMLENCODE", 1)
def htmlencode(value: Any) -> str:
    return html.escape(_text(value, "HTMLENCODE"), quote=True).replace("&#x27;", "&#39;")


def js_encode(text: str) -> str:
    return "".join(_JS_ESCAPES.get(char, char) for char in text)


@function("JSENCODE", 1)
def jsencode(value: Any) -> str:
    return js_encode(_text(value, "JSENCODE"))


@function("JSINHTMLENCODE", 1)
def jsinhtmlencode(value: Any) -> str:
    return js_encode(htmlencode(_text(value, "JSINHTMLENCODE")))


@function("URLENCODE", 1)
def urlencode(value: Any) -> str:
    # RFC 3986 percent-encoding of UTF-8: a space is %20, "!" is %21 (Salesforce help).
    return quote(_text(value, "URLENCODE"), safe="-_.~")


@function("HYPERLINK", 2, 3, nulls=False)
def hyperlink(url: Any, name: Any, target: Any = None) -> str:
    window = "_blank" if target is None else _text(target, "HYPERLINK")
    href, label = _text_or_empty(url, "HYPERLINK"), _text_or_empty(name, "HYPERLINK")
    return f'<a href="{href}" target="{window}">{label}</a>'


@function("CASESAFEID", 1)
def casesafeid(value: Any) -> str:
    """15-character id → 18 characters: each 5-character chunk's upper-case letters form a 5-bit suffix."""
    record_id = _text(value, "CASESAFEID")
    if len(record_id) != 15:
        return record_id
    suffix = ""
    for chunk in range(0, 15, 5):
        bits = sum(1 << i for i, char in enumerate(record_id[chunk : chunk + 5]) if "A" <= char <= "Z")
        suffix += _CASESAFE_ALPHABET[bits]
    return record_id + suffix


@function("ASCII", 1)
def ascii_(value: Any) -> Decimal | None:
    text = _text(value, "ASCII")
    return Decimal(ord(text[0])) if text else None


@function("CHR", 1)
def chr_(value: Any) -> str:
    code = _count(value, "CHR")
    if not 0 < code <= 0x10FFFF:
        raise FormulaRuntimeError(f"CHR() received an invalid character code: {code}")
    return chr(code)


@function("GETSESSIONID", 0, mode="env")
def getsessionid(env: FormulaEnvironment) -> Any:
    return env.resolve("$Api.Session_ID")


@function("VALUE", 1)
def value_(text: Any) -> Decimal:
    candidate = _text(text, "VALUE").strip()
    if not NUMBER_TEXT.fullmatch(candidate):
        raise FormulaRuntimeError(f"VALUE() received a non-numeric value: {text!r}")
    return normalize(Decimal(candidate))


@function("TEXT", 1)
def text_(value: Any) -> str:
    """Salesforce TEXT(): numbers in plain notation, dates ISO, datetimes `YYYY-MM-DD HH:MM:SSZ`."""
    if isinstance(value, str):
        return value  # picklist values
    if is_number(value):
        return format_decimal(expect(value, "Number", "TEXT()"))
    if isinstance(value, dt.datetime):
        return as_utc(value).strftime("%Y-%m-%d %H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return format_millis_time(value) + "Z"  # UNCONFIRMED format
    # Salesforce rejects TEXT(Boolean) when the formula is saved.
    raise FormulaRuntimeError(f"Incorrect parameter type for TEXT(): {type_name(value)}")
