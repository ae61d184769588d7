"""Bind lxml elements to the model's dataclasses, deriving tags and conversions from the annotations.

One generic binder instead of a hand-written reader per element keeps the parser honest: adding a field to
the model is all it takes to read it. Plans are computed once per class.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from lxml import etree

from flowforce.metadata.model import NULL_VALUE, FlowValue, ValueKind

NAMESPACE = "http://soap.sforce.com/2006/04/metadata"


class BindingError(ValueError):
    """A value in the XML cannot be read as the model's type; the parser adds file and element."""


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def camel_tag(field_name: str) -> str:
    head, *rest = field_name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def element_text(element: etree._Element) -> str:
    return element.text or ""


# ---------------------------------------------------------------------------------------------- scalars


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false"):
        raise BindingError(f"expected true or false, found {text!r}")
    return value == "true"


def parse_int(text: str) -> int:
    try:
        return int(Decimal(text.strip()))
    except (InvalidOperation, ValueError):
        raise BindingError(f"expected a whole number, found {text!r}") from None


def parse_decimal(text: str) -> Decimal:
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        raise BindingError(f"expected a number, found {text!r}") from None


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise BindingError(f"expected a date YYYY-MM-DD, found {text!r}") from None


def parse_datetime(text: str) -> dt.datetime:
    raw = text.strip().replace("Z", "+00:00")
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise BindingError(f"expected a dateTime like 2021-08-01T00:00:00.000Z, found {text!r}") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def parse_time(text: str) -> dt.time:
    raw = text.strip().rstrip("Z")
    try:
        return dt.time.fromisoformat(raw)
    except ValueError:
        raise BindingError(f"expected a time like 09:30:00.000Z, found {text!r}") from None


SCALARS: dict[Any, typing.Callable[[str], Any]] = {
    str: lambda text: text,
    bool: parse_bool,
    int: parse_int,
    Decimal: parse_decimal,
    dt.date: parse_date,
    dt.datetime: parse_datetime,
    dt.time: parse_time,
}

LITERAL_PARSERS: dict[ValueKind, typing.Callable[[str], Any]] = {
    ValueKind.STRING: lambda text: text,
    ValueKind.NUMBER: parse_decimal,
    ValueKind.BOOLEAN: parse_bool,
    ValueKind.DATE: parse_date,
    ValueKind.DATETIME: parse_datetime,
    ValueKind.TIME: parse_time,
}

VALUE_KINDS = {kind.value: kind for kind in ValueKind}


def bind_value(element: etree._Element) -> FlowValue:
    """Read a `FlowElementReferenceOrValue`: the first recognised child decides the kind; none means null."""
    children = [child for child in element if isinstance(child.tag, str)]
    formula_type = next((element_text(c) for c in children if local_name(c) == "formulaDataType"), None)
    for child in children:
        kind = VALUE_KINDS.get(local_name(child))
        if kind is None:
            continue
        text = element_text(child)
        if kind is ValueKind.REFERENCE:
            text = text.strip()
        parser = LITERAL_PARSERS.get(kind)
        literal = parser(text) if parser else None
        return FlowValue(kind, text, literal, formula_type)
    return NULL_VALUE


# ---------------------------------------------------------------------------------------------- plans


@dataclasses.dataclass(frozen=True, slots=True)
class FieldPlan:
    name: str
    many: bool
    convert: typing.Callable[[etree._Element], Any]


def unwrap_optional(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def converter_for(annotation: Any) -> typing.Callable[[etree._Element], Any]:
    if annotation is FlowValue:
        return bind_value
    if dataclasses.is_dataclass(annotation):
        target = typing.cast(type, annotation)
        return lambda element: bind(target, element)
    scalar = SCALARS.get(annotation)
    if scalar is None:
        raise TypeError(f"no XML conversion for {annotation!r}")
    return lambda element: scalar(element_text(element))


@cache
def plan_for(cls: type) -> dict[str, FieldPlan]:
    hints = typing.get_type_hints(cls)
    plans: dict[str, FieldPlan] = {}
    for item in dataclasses.fields(cls):
        annotation = unwrap_optional(hints[item.name])
        many = typing.get_origin(annotation) is tuple
        if many:
            annotation = typing.get_args(annotation)[0]
        plans[camel_tag(item.name)] = FieldPlan(item.name, many, converter_for(annotation))
    return plans


def bind(cls: type, element: etree._Element) -> Any:
    """Build *cls* from *element*'s children; unknown children are ignored, repeated ones collected."""
    plan = plan_for(cls)
    values: dict[str, Any] = {}
    for child in element:
        field_plan = plan.get(local_name(child))
        if field_plan is None:
            continue
        try:
            converted = field_plan.convert(child)
        except BindingError as error:
            raise BindingError(f"<{local_name(child)}>: {error}") from None
        if field_plan.many:
            values.setdefault(field_plan.name, []).append(converted)
        else:
            values[field_plan.name] = converted
    for key, value in values.items():
        if isinstance(value, list):
            values[key] = tuple(value)
    try:
        return cls(**values)
    except TypeError as error:
        missing = str(error).split("argument", 1)[-1].strip(": ")
        raise BindingError(f"<{local_name(element)}> is missing required {missing}") from None
