"""What a formula needs from its surroundings: reference resolution and the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from flowforce.formula.errors import FormulaRuntimeError
from flowforce.formula.values import UTC, as_utc


@runtime_checkable
class FormulaEnvironment(Protocol):
    """Implemented by the engine (an interview) and by `SimpleEnvironment`.

    Optional hooks, looked up with `getattr`: `prior(reference) -> Any` and `is_new() -> bool`, which make
    ISCHANGED / PRIORVALUE / ISNEW work in record-triggered contexts.
    """

    def resolve(self, reference: str) -> Any:
        """Value of a path such as `Get_Account.Name`; None for a field of a null record."""
        ...

    def now(self) -> dt.datetime:
        """Current instant, tz-aware UTC."""
        ...

    def today(self) -> dt.date: ...


def _lookup(container: Any, key: str) -> tuple[bool, Any]:
    """Case-insensitive member lookup in a mapping or an object; (found, value)."""
    if isinstance(container, Mapping):
        if key in container:
            return True, container[key]
        folded = key.lower()
        for name, value in container.items():
            if isinstance(name, str) and name.lower() == folded:
                return True, value
        return False, None
    for name in dir(container):
        if name.lower() == key.lower() and not name.startswith("_"):
            return True, getattr(container, name)
    return False, None


class SimpleEnvironment:
    """A dict-backed environment for tests and the CLI.

    Dotted paths walk through mappings and objects with case-insensitive names. An unknown top-level name is
    an error (it catches typos); a missing field or a field of a null record is None (null propagation).
    `$Flow.CurrentDate` / `$Flow.CurrentDateTime` default to the clock.
    """

    def __init__(self, values: Mapping[str, Any], now: dt.datetime | None = None) -> None:
        self.values = values
        self._now = as_utc(now) if now is not None else None

    def now(self) -> dt.datetime:
        return self._now if self._now is not None else dt.datetime.now(UTC)

    def today(self) -> dt.date:
        return self.now().date()

    def resolve(self, reference: str) -> Any:
        found, value = _lookup(self.values, reference)
        if found:
            return value
        head, *rest = reference.split(".")
        found, value = _lookup(self.values, head)
        if not found:
            return self._global(reference)
        for part in rest:
            if value is None:
                return None
            _found, value = _lookup(value, part)
        return value

    def _global(self, reference: str) -> Any:
        folded = reference.lower()
        if folded == "$flow.currentdate":
            return self.today()
        if folded == "$flow.currentdatetime":
            return self.now()
        raise FormulaRuntimeError(f"Unknown reference '{reference}'")
