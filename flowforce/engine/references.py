"""Compile reference paths (`var`, `Get_Account.Owner.Email`, `$Record.Status`) into getters and setters.

Resolution is done once per flow, not per read: a getter is a closure that knows whether its root is a
variable, a formula, a text template, a constant or a global. Two read modes exist because Salesforce has
two behaviours (confirmations.md §6e): an element reading a field of a null record faults, while the same
path inside a formula or merge field is simply null.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, cast

from flowforce.engine.faults import ElementFault, not_set_message
from flowforce.engine.globals import RECORD_GLOBAL_TYPES, global_root
from flowforce.engine.interview import Interview
from flowforce.engine.values import CoercionError, coerce, type_label
from flowforce.metadata.model import Variable
from flowforce.records.record import Record

if TYPE_CHECKING:
    from flowforce.engine.program import Program

Getter = Callable[[Interview], Any]
NATIVE_TYPES: dict[str, type] = {"Number": Decimal, "Currency": Decimal, "Percent": Decimal, "String": str,
                                 "Boolean": bool, "Picklist": str, "Multipicklist": str}
Setter = Callable[[Interview, Any], Any]  # returns the value as stored


def split_path(reference: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in reference.strip().split("."))


def member(container: Any, name: str) -> tuple[bool, Any]:
    """Case-insensitive field lookup on a Record, dict or object."""
    if isinstance(container, Record):
        return (True, container[name]) if name in container else (False, None)
    if isinstance(container, Mapping):
        if name in container:
            return True, container[name]
        folded = name.lower()
        for key, value in container.items():
            if isinstance(key, str) and key.lower() == folded:
                return True, value
        return False, None
    return False, None


def walk(value: Any, fields: tuple[str, ...], reference: str, strict: bool) -> Any:
    for index, name in enumerate(fields):
        if value is None:
            if strict:
                raise ElementFault(not_set_message(".".join(reference.split(".")[: index + 2])))
            return None
        found, value = member(value, name)
        if not found:
            if strict:
                raise ElementFault(not_set_message(reference))
            return None
    return value


def read_only_global(reference: str) -> Setter:
    """$User, $Organization, $Api, $Label… are read-only (only $Flow.* and $Record fields can be assigned);
    refusing here also keeps the records behind them shareable between interviews."""

    def refuse(iv: Interview, value: Any) -> Any:
        raise ElementFault(f"{reference} is a read-only global variable and can't be assigned.")

    return refuse


def store(iv: Interview, key: str, value: Any) -> Any:
    iv.values[key] = value
    return value


class ReferenceCompiler:
    """Turns reference text into getters/setters for one program; results are cached per text."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self._strict: dict[str, Getter] = {}
        self._lenient: dict[str, Getter] = {}
        self._setters: dict[str, Setter] = {}

    def getter(self, reference: str, *, strict: bool = True) -> Getter:
        cache = self._strict if strict else self._lenient
        getter = cache.get(reference)
        if getter is None:
            getter = cache[reference] = self._compile_getter(reference, strict)
        return getter

    def setter(self, reference: str) -> Setter:
        setter = self._setters.get(reference)
        if setter is None:
            setter = self._setters[reference] = self._compile_setter(reference)
        return setter

    # ------------------------------------------------------------------------------------------ getters

    def _root_getter(self, parts: tuple[str, ...]) -> tuple[Getter, int]:
        if parts[0].startswith("$"):
            return global_root(parts)
        key = parts[0].lower()
        resolver = self.program.resource_getter(key)
        if resolver is not None:
            return resolver, 1
        return (lambda iv: iv.values.get(key)), 1

    def _compile_getter(self, reference: str, strict: bool) -> Getter:
        parts = split_path(reference)
        if parts[0].lower() in RECORD_GLOBAL_TYPES:
            # A user without a role has no $UserRole record: its fields read as blank, not as a fault
            # (UNCONFIRMED: Salesforce shows them empty in formulas and flows).
            strict = False
        root, used = self._root_getter(parts)
        rest = parts[used:]
        if not rest:
            return root
        if len(rest) == 1 and not strict:
            field = rest[0]
            return lambda iv: member(root(iv), field)[1]
        return lambda iv: walk(root(iv), rest, reference, strict)

    # ------------------------------------------------------------------------------------------ setters

    def _compile_setter(self, reference: str) -> Setter:
        parts = split_path(reference)
        key = parts[0].lower()
        if key == "$flow" and len(parts) == 2:
            flow_key = f"$flow.{parts[1].lower()}"
            return lambda iv, value: store(iv, flow_key, value)
        if key in ("$record", "$record__prior") and len(parts) == 1:
            return lambda iv, value: store(iv, key, value)
        if key.startswith("$") and key not in ("$record", "$record__prior"):
            return read_only_global(reference)
        variable = self.program.variables.get(key)
        if len(parts) == 1:
            if variable is None:
                return lambda iv, value: store(iv, key, value)
            return self._variable_setter(variable)
        container = self._container_getter(parts[:-1], variable)
        field = parts[-1]

        def set_field(iv: Interview, value: Any) -> Any:
            target = container(iv)
            if isinstance(target, (Record, dict)):
                target[field] = value
                return value
            else:
                raise ElementFault(not_set_message(reference))

        return set_field

    def appender(self, reference: str) -> Setter | None:
        """`Add` to a collection variable, in place: only the added items are coerced, so appending n items one
        at a time costs O(n), not O(n²). None when *reference* is not a collection variable."""
        parts = split_path(reference)
        variable = self.program.variables.get(parts[0].lower()) if len(parts) == 1 else None
        if variable is None or not variable.is_collection:
            return None
        key, data_type, scale, object_type = variable.name.lower(), variable.data_type, variable.scale, \
            variable.object_type

        def append(iv: Interview, value: Any) -> Any:
            current = iv.values.get(key)
            if value is None:
                return current
            try:
                added = coerce(value if isinstance(value, list) else [value], data_type, object_type=object_type,
                               scale=scale, is_collection=True)
            except CoercionError as error:
                label = type_label(data_type, True, object_type)
                raise ElementFault(f"The value for {variable.name} must be a {label}: {error}") from None
            if isinstance(current, list):
                current.extend(added)
                return current
            iv.values[key] = list(added) if current is None else [current, *added]
            return iv.values[key]

        return append

    def _variable_setter(self, variable: Variable) -> Setter:
        key = variable.name.lower()
        data_type, scale = variable.data_type, variable.scale
        object_type, many = variable.object_type, variable.is_collection
        needs_coercion = data_type not in ("SObject", "Apex") or many
        # Values that already have the variable's Python type skip coercion (the common case).
        native: type | None = None if many else NATIVE_TYPES.get(data_type)
        quantum = Decimal(1).scaleb(-scale) if scale is not None and native is Decimal else None

        def set_variable(iv: Interview, value: Any) -> Any:
            if native is not None and type(value) is native:
                if quantum is not None:
                    value = cast(Decimal, value).quantize(quantum, ROUND_HALF_UP)
                iv.values[key] = value
                return value
            if value is not None and needs_coercion:
                try:
                    value = coerce(value, data_type, object_type=object_type, scale=scale, is_collection=many)
                except CoercionError as error:
                    label = type_label(data_type, many, object_type)
                    raise ElementFault(f"The value for {variable.name} must be a {label}: {error}") from None
            iv.values[key] = value
            return value

        return set_variable

    def _container_getter(self, parts: tuple[str, ...], variable: Variable | None) -> Getter:
        """The record a field assignment writes into; an unset record variable springs into existence.

        Flows routinely assign `newCase.Subject` on a record variable nobody initialised and then create it.
        """
        strict = self.getter(".".join(parts), strict=True)
        if len(parts) != 1 or variable is None or variable.data_type not in ("SObject", "Apex") \
                or variable.is_collection:
            return strict
        key = parts[0].lower()
        object_type = variable.object_type or "SObject"
        is_record = variable.data_type == "SObject"

        def ensure(iv: Interview) -> Any:
            current = iv.values.get(key)
            if current is None:
                current = iv.values[key] = Record(object_type) if is_record else {}
            return current

        return ensure
