"""Values a new record gets for fields the caller did not set: default values and auto-numbers.

SFDX default values are formulas (``"Open"``, ``TODAY() + 30``, ``true``, ``$User.Id``). Plain literals are
read without the formula engine so that seed data loads even before formulas are available; anything else is
evaluated with it. Standard-object defaults in standard_objects.py are literal values.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flowforce.records.formula_fields import RecordFormulaEnv, compile_for_field
from flowforce.records.schema import FieldSchema, FieldType

_QUOTED = re.compile(r"""^\s*(["'])(.*)\1\s*$""", re.DOTALL)
_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")
_AUTO_NUMBER_DIGITS = re.compile(r"\{(0+)\}")


class _NotLiteral(Exception):
    pass


def _literal(text: str) -> Any:
    quoted = _QUOTED.match(text)
    if quoted:
        return quoted.group(2)
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if _NUMBER.match(text):
        try:
            return Decimal(text.strip())
        except InvalidOperation:
            pass
    raise _NotLiteral(text)


def default_value(field: FieldSchema, env: RecordFormulaEnv) -> Any:
    """The raw (uncoerced) default of *field*, or None when it has none."""
    text = field.default_value
    if text is None:
        return None
    if text == "$User.Id":
        return env.user_id
    if not field.default_is_formula:
        return text
    try:
        return _literal(text)
    except _NotLiteral:
        pass
    try:
        return compile_for_field(field, text).evaluate(env)
    except Exception:
        return None  # a default that cannot be computed leaves the field empty, like a null formula result


def format_auto_number(field: FieldSchema, number: int, now: dt.datetime) -> str:
    """Render an auto-number display format such as ``A-{0000}`` or ``INV-{YYYY}-{000}``."""
    display = field.display_format or "{0}"
    text = _AUTO_NUMBER_DIGITS.sub(lambda m: str(number).zfill(len(m.group(1))), display)
    for token, value in (("{YYYY}", f"{now.year:04d}"), ("{YY}", f"{now.year % 100:02d}"),
                         ("{MM}", f"{now.month:02d}"), ("{DD}", f"{now.day:02d}")):
        text = text.replace(token, value)
    return text


def needs_default(field: FieldSchema) -> bool:
    return field.default_value is not None and field.type is not FieldType.ID and field.stored
